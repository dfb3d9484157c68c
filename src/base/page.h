/* base/page.h: the page a list request asks for (cursor paging by id). */
#ifndef AJ_PAGE_H
#define AJ_PAGE_H
#include <stdint.h>

/* A page of a list: rows after `after` (by id), at most limit; *more tells
 * whether another page follows. want_total asks for the count of all rows. */
typedef struct page_req {
    int64_t after;
    int limit;
    int want_total;
} page_req;

#endif
