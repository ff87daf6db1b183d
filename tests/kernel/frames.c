/*
 * tests/kernel/frames.c - holding every free frame (tests/kernel/frames.h).
 */
#include "tests/kernel/frames.h"

#include "mm/kmap.h"
#include "mm/pmm.h"

/*
 * A NULL while frames are still free is fault injection's (the fail=
 * option counts frames): try again, up to this many NULLs in a row, since
 * a spec that fails every frame would never let one go.
 */
#define INJECTED_TRIES 8

static uint64_t frames_free(void)
{
	return pmm_free_pages(ZONE_LOW) + pmm_free_pages(ZONE_HIGH);
}

paddr_t frames_take_all(size_t *n)
{
	paddr_t chain = FRAMES_NONE;
	size_t count = 0;
	int nulls = 0;
	struct page *p;

	while (frames_free() > 0 && nulls < INJECTED_TRIES) {
		p = page_alloc(0, PMM_ANY);
		if (p == NULL) {
			nulls++;
			continue;
		}
		nulls = 0;
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
