/*
 * kernel/lib/include/stdbool.h - bool, true, false (C11 7.18), for
 * -nostdinc builds (why: kernel/lib/include/stdint.h).
 */
#ifndef KIVA_STDBOOL_H
#define KIVA_STDBOOL_H

#define bool _Bool
#define true 1
#define false 0

#endif
