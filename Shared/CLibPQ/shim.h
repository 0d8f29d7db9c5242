#ifndef MK_CLIBPQ_SHIM_H
#define MK_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
