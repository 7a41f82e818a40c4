// expect: compile_error
template <int N> struct F { static const long v = F<N - 1>::v + F<N - 2>::v + F<N - 3>::v; };
template <> struct F<0> { static const long v = 1; };
template <> struct F<1> { static const long v = 1; };
template <> struct F<2> { static const long v = 1; };
template <class T, int N> struct Bomb { typedef Bomb<Bomb<T, N - 1>, N - 1> type; type* p; };
template <class T> struct Bomb<T, 0> { T t; };
int main() { Bomb<int, 64> b; return sizeof(b) + F<100000>::v; }
