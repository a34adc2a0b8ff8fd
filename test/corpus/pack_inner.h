/* Included by pack.h under #pragma pack(push, 2); standalone it uses the
 * default packing. The pack in effect crosses #include boundaries. */

#ifndef PACK_INNER_H
#define PACK_INNER_H

struct PackInner { char c; int i; double d; };            /* default packing here, pack(2) when pack.h includes it */

#endif
