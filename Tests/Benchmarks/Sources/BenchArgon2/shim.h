// The reference Argon2 library (Debian libargon2-dev), the same one the BOK service links: the
// benchmark times one hash with the service's parameters to compute the Argon2id limit.
#ifndef MK_BENCH_ARGON2_SHIM_H
#define MK_BENCH_ARGON2_SHIM_H
#include <argon2.h>
#endif
