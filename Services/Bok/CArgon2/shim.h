// The reference Argon2 library (Debian libargon2-dev), for the BOK service's credential hashing.
#ifndef MK_CARGON2_SHIM_H
#define MK_CARGON2_SHIM_H
#include <argon2.h>
#endif
