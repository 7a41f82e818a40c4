// The names in metrics.jsonl (metrics_log.h), written by the trainers and read back by
// `stepcoder report`, in one place so neither side can rename a key alone. A line's "kind"
// says which stage wrote it; the keys below it are that stage's numbers.
//
//   log.append({{key::kKind, kind::kPpo}, {key::kStep, step}, {key::kReward, r}, ...});
//   if (j.value(key::kKind, "") == kind::kPpo) plot(number_at(j, key::kReward));
#pragma once

namespace stepcoder::run {

namespace kind {
inline constexpr char kPpo[] = "ppo";          // one PPO step
inline constexpr char kTrain[] = "train";      // SFT steps
inline constexpr char kEval[] = "eval";        // held-out pass@1 (PPO), or validation (SFT)
inline constexpr char kSummary[] = "summary";  // the end of one invocation
}  // namespace kind

namespace key {
inline constexpr char kKind[] = "kind";
inline constexpr char kStep[] = "step";
inline constexpr char kSeconds[] = "seconds";          // training time so far, across resumes
// kind ppo
inline constexpr char kReward[] = "reward";            // mean summed reward, KL included
inline constexpr char kTaskReward[] = "task_reward";   // the same without the KL term
inline constexpr char kPassRate[] = "pass_rate";
inline constexpr char kVerdicts[] = "verdicts";        // {"passed": 5, ...} (ppo and eval)
inline constexpr char kKl[] = "kl";
inline constexpr char kKlCoef[] = "kl_coef";
inline constexpr char kEntropy[] = "entropy";
inline constexpr char kClipFraction[] = "clip_fraction";
inline constexpr char kApproxKl[] = "approx_kl";
inline constexpr char kPolicyLoss[] = "policy_loss";
inline constexpr char kValueLoss[] = "value_loss";
inline constexpr char kGradNorm[] = "grad_norm";        // before clipping
inline constexpr char kGradNormPolicy[] = "grad_norm_policy";  // of the PPO objective alone
inline constexpr char kGradNormSft[] = "grad_norm_sft";        // of sft_coef x the supervised term
inline constexpr char kGradCosine[] = "grad_cosine";           // between those two gradients
inline constexpr char kKlLoss[] = "kl_loss";           // group: the KL loss term, per token
inline constexpr char kEpochs[] = "epochs";
inline constexpr char kSftLoss[] = "sft_loss";
inline constexpr char kKeptFraction[] = "kept_fraction";  // FGO: share of tokens in the loss
inline constexpr char kMixedVerdictShare[] = "mixed_verdict_share";
inline constexpr char kCoverageShare[] = "coverage_share";
inline constexpr char kCompletions[] = "completions";
inline constexpr char kTokens[] = "tokens";
inline constexpr char kTokensPerS[] = "tokens_per_s";  // also kind train
inline constexpr char kRewardTerms[] = "reward_terms";
inline constexpr char kTime[] = "time";                // {"sample": s, "judge": s, ..., "step": s}
inline constexpr char kCurriculum[] = "curriculum";    // the problem source's numbers
// kind eval
inline constexpr char kSplit[] = "split";
inline constexpr char kPass1[] = "pass1";
inline constexpr char kProblems[] = "problems";
inline constexpr char kMeanTokens[] = "mean_tokens";
inline constexpr char kEvalSeconds[] = "eval_seconds";
inline constexpr char kValidLoss[] = "valid_loss";    // SFT's validation line
inline constexpr char kValidPass1[] = "valid_pass1";
// kind train
inline constexpr char kLoss[] = "loss";
inline constexpr char kLr[] = "lr";
}  // namespace key

}  // namespace stepcoder::run
