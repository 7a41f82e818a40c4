// The judge's pool of boxes (box.h): one per judging slot, started on first need and reused,
// at most `max` at once. A judge() call holds one slot throughout, so a slot never runs two
// requests' processes at once, and each slot's uids (as root) belong to it alone: each pool
// claims a block of 3 * max uids above sandbox.uid_base that no other judge on the machine
// holds (a lock file per block in /run/stepcoder, released when the process ends).
//
//   auto lease = pool.acquire();          // blocks while every slot is busy
//   if (!lease) return internal_error(lease.error());
//   Box& box = lease->box();
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "sandbox/box.h"
#include "util/files.h"

namespace stepcoder::sandbox {

class SlotPool {
 public:
  class Lease {
   public:
    Lease(SlotPool* pool, std::unique_ptr<Box> box, int slot) : pool_(pool), box_(std::move(box)), slot_(slot) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), box_(std::move(o.box_)), slot_(o.slot_) { o.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    ~Lease();
    Box& box() { return *box_; }

   private:
    SlotPool* pool_;
    std::unique_ptr<Box> box_;
    int slot_;
  };

  // `base`: the box executable and read-only directories; each slot gets its own directory
  // under a fresh temporary one. One box is started now, so a sandbox that cannot work fails here.
  static Expected<std::unique_ptr<SlotPool>> create(const BoxOptions& base, int max);
  ~SlotPool();
  Expected<Lease> acquire();
  // The host uids this pool's boxes run jobs as (root), [first, last]; {0, 0} without root.
  std::pair<uint32_t, uint32_t> uid_range() const;

 private:
  SlotPool(BoxOptions base, int max, TempDir dir) : base_(std::move(base)), max_(max), dir_(std::move(dir)) {}
  void release(std::unique_ptr<Box> box, int slot);

  Status claim_uid_block();

  BoxOptions base_;
  int max_;
  TempDir dir_;
  int block_lock_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::unique_ptr<Box>, int>> idle_;
  std::vector<bool> used_;  // slot numbers held by live boxes
};

}  // namespace stepcoder::sandbox
