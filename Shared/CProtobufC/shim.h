#ifndef MK_CPROTOBUFC_SHIM_H
#define MK_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
