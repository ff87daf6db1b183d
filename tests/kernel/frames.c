/*
 * tests/kernel/frames.c - holding every free frame (tests/kernel/frames.h).
 */
#include "tests/kernel/frames.h"

#include "mm/kmap.h"
#include "mm/pmm.h"

paddr_t frames_take_all(size_t *n)
{
	paddr_t chain = FRAMES_NONE;
	size_t count = 0;
	struct page *p;

	while ((p = page_alloc(0, PMM_ANY)) != NULL) {
		paddr_t *word = kmap_atomic(p);
		*word = chain;
		kunmap_atomic(word);
		chain = page_to_phys(p);
		count++;
	}
	if (n != NULL)
		*n = count;
	return chain;
}

paddr_t frames_give_one(paddr_t chain)
{
	struct page *p = phys_to_page(chain);
	paddr_t *word = kmap_atomic(p);
	paddr_t next = *word;

	kunmap_atomic(word);
	page_free(p, 0);
	return next;
}

void frames_give_all(paddr_t chain)
{
	while (chain != FRAMES_NONE)
		chain = frames_give_one(chain);
}
