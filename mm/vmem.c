/*
 * mm/vmem.c - a vmem arena; mm/vmem.h describes the design.
 *
 * Notes on the implementation:
 *
 *  - A free segment of n quanta is on list floor(log2 n).  Sizes are kept
 *    in bytes and shifted right by the quantum's log to get n.
 *
 *  - A split keeps the segment's tag for the low, allocated part and takes
 *    a spare tag for the free rest; a merge keeps the lower tag and gives
 *    the higher one back.  So the tag of the lowest segment is never given
 *    back, and vm_first stays valid for the life of the arena.
 *
 *  - vm_steps counts every tag that vmem_alloc() and vmem_free() look at,
 *    including the fallback search and the walk that diagnoses a bad
 *    address in vmem_free(): that walk is the price of a bug, not of a
 *    free.  Not counted: cutting a new page into tags, a loop over the
 *    page that comes once per PAGE_SIZE / sizeof(struct vmem_btag) splits
 *    (146 on i386), and vmem_stats() and vmem_check(), which walk lists.
 */
#include "mm/vmem.h"

#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"

/* The bit scans work on unsigned long, which must be as wide as size_t. */
_Static_assert(sizeof(unsigned long) == sizeof(size_t),
    "unsigned long and size_t differ in width");
/* vmem_init() takes one tag from its page and must keep the reserve. */
_Static_assert(PAGE_SIZE / sizeof(struct vmem_btag) > VMEM_MINSPARE,
    "a page holds too few boundary tags");

/* floor(log2 n), for n > 0. */
static unsigned
log2_floor(size_t n)
{
	return VMEM_NLISTS - 1 - (unsigned)__builtin_clzl(n);
}

/* The free list of a free segment of size bytes. */
static unsigned
freelist_of(const struct vmem *vm, size_t size)
{
	return log2_floor(size >> vm->vm_qshift);
}

static void
freelist_insert(struct vmem *vm, struct vmem_btag *bt)
{
	unsigned i = freelist_of(vm, bt->bt_size);

	bt->bt_type = VMEM_SEG_FREE;
	bt->bt_fprev = NULL;
	bt->bt_fnext = vm->vm_freelist[i];
	if (bt->bt_fnext != NULL)
		bt->bt_fnext->bt_fprev = bt;
	vm->vm_freelist[i] = bt;
	vm->vm_freemap |= 1UL << i;
	vm->vm_nfree++;
}

/* Call before changing bt_size: the size says which list bt is on. */
static void
freelist_remove(struct vmem *vm, struct vmem_btag *bt)
{
	unsigned i = freelist_of(vm, bt->bt_size);

	if (bt->bt_fprev != NULL)
		bt->bt_fprev->bt_fnext = bt->bt_fnext;
	else
		vm->vm_freelist[i] = bt->bt_fnext;
	if (bt->bt_fnext != NULL)
		bt->bt_fnext->bt_fprev = bt->bt_fprev;
	if (vm->vm_freelist[i] == NULL)
		vm->vm_freemap &= ~(1UL << i);
	vm->vm_nfree--;
}

static struct vmem_btag *
tag_get(struct vmem *vm)
{
	struct vmem_btag *bt = vm->vm_spare;

	KASSERT(bt != NULL);
	vm->vm_spare = bt->bt_next;
	vm->vm_nspare--;
	return bt;
}

static void
tag_put(struct vmem *vm, struct vmem_btag *bt)
{
	bt->bt_type = VMEM_SEG_SPARE;
	bt->bt_next = vm->vm_spare;
	vm->vm_spare = bt;
	vm->vm_nspare++;
}

/*
 * Are there enough spares to split a segment?  A nested call from inside
 * tag_page() may use the last one: keeping it is what the reserve is for.
 */
static bool
tag_enough(const struct vmem *vm)
{
	return vm->vm_nspare >= (vm->vm_refilling ? 1 : VMEM_MINSPARE);
}

/*
 * Get a page of tags from the owner.  Returns false if tag_page() has
 * none, or if this is a nested call from inside tag_page(), which must
 * make do with the reserve rather than recurse.
 */
static bool
tag_refill(struct vmem *vm)
{
	struct vmem_btag *tags;
	size_t i, n = PAGE_SIZE / sizeof(*tags);

	if (vm->vm_refilling)
		return false;
	vm->vm_refilling = true;
	tags = vm->vm_tag_page(vm->vm_arg);
	vm->vm_refilling = false;
	if (tags == NULL)
		return false;
	for (i = 0; i < n; i++)
		tag_put(vm, &tags[i]);
	vm->vm_ntags += n;
	return true;
}

/* Put nbt on the segment list right after bt. */
static void
seglist_insert_after(struct vmem_btag *bt, struct vmem_btag *nbt)
{
	nbt->bt_prev = bt;
	nbt->bt_next = bt->bt_next;
	if (bt->bt_next != NULL)
		bt->bt_next->bt_prev = nbt;
	bt->bt_next = nbt;
}

/* Is bt (maybe NULL) a free segment?  Looking at it is a step. */
static bool
seg_is_free(struct vmem *vm, const struct vmem_btag *bt)
{
	if (bt == NULL)
		return false;
	vm->vm_steps++;
	return bt->bt_type == VMEM_SEG_FREE;
}

/* Merge segment hi into lo, its lower neighbour; both are off free lists. */
static void
seg_merge(struct vmem *vm, struct vmem_btag *lo, struct vmem_btag *hi)
{
	lo->bt_size += hi->bt_size;
	lo->bt_next = hi->bt_next;
	if (hi->bt_next != NULL)
		hi->bt_next->bt_prev = lo;
	tag_put(vm, hi);
}

/* The index slot of addr, a multiple of the quantum inside the arena. */
static struct vmem_btag **
index_slot(const struct vmem *vm, vaddr_t addr)
{
	return &vm->vm_index[(addr - vm->vm_base) >> vm->vm_qshift];
}

/* The tag of the allocation that starts at addr, or NULL. */
static struct vmem_btag *
lookup(const struct vmem *vm, vaddr_t addr)
{
	vaddr_t qmask = ((vaddr_t)1 << vm->vm_qshift) - 1;

	if (addr < vm->vm_base || addr - vm->vm_base >= vm->vm_size ||
	    (addr & qmask) != 0)
		return NULL;
	return *index_slot(vm, addr);
}

/*
 * The free segment that an allocation of size bytes would take, or NULL.
 * Changes nothing but vm_steps.
 */
static struct vmem_btag *
find_fit(struct vmem *vm, size_t size)
{
	size_t n = size >> vm->vm_qshift;
	unsigned lo = log2_floor(n);
	unsigned hi = (n & (n - 1)) == 0 ? lo : lo + 1;	/* ceil(log2 n) */
	unsigned long fits;
	struct vmem_btag *bt;

	/* Every segment on list hi or above is big enough: take the first. */
	fits = hi < VMEM_NLISTS ? vm->vm_freemap & (~0UL << hi) : 0;
	if (fits != 0) {
		vm->vm_steps++;
		return vm->vm_freelist[__builtin_ctzl(fits)];
	}
	/* Nothing bigger left: search list lo, whose segments may be short. */
	for (bt = vm->vm_freelist[lo]; bt != NULL; bt = bt->bt_fnext) {
		vm->vm_steps++;
		if (bt->bt_size >= size)
			return bt;
	}
	return NULL;
}

enum vmem_error
vmem_init(struct vmem *vm, const char *name, vaddr_t base, size_t size,
    size_t quantum, struct vmem_btag **index, void *(*tag_page)(void *arg),
    void *arg)
{
	struct vmem_btag *bt;

	KASSERT(quantum != 0 && (quantum & (quantum - 1)) == 0);
	KASSERT(base != 0 && base % quantum == 0);
	KASSERT(size != 0 && size % quantum == 0);
	KASSERT(base + size > base);
	memset(vm, 0, sizeof(*vm));
	vm->vm_name = name;
	vm->vm_base = base;
	vm->vm_size = size;
	vm->vm_qshift = log2_floor(quantum);
	vm->vm_index = index;
	vm->vm_tag_page = tag_page;
	vm->vm_arg = arg;
	memset(index, 0, (size / quantum) * sizeof(*index));
	if (!tag_refill(vm))
		return VMEM_NO_TAGS;
	bt = tag_get(vm);
	bt->bt_prev = NULL;
	bt->bt_next = NULL;
	bt->bt_start = base;
	bt->bt_size = size;
	vm->vm_first = bt;
	freelist_insert(vm, bt);
	return VMEM_OK;
}

vaddr_t
vmem_alloc(struct vmem *vm, size_t size)
{
	struct vmem_btag *bt, *rest;

	KASSERT(size != 0);
	vm->vm_steps = 0;
	if (size > vm->vm_size)
		return VMEM_FAIL;
	size = ROUND_UP(size, (size_t)1 << vm->vm_qshift);
	/*
	 * Find the segment before fetching tags, and only fetch them if it
	 * must be split.  tag_page() may allocate from this arena, so the
	 * segment found before it may be gone after it: look again.
	 */
	while ((bt = find_fit(vm, size)) != NULL && bt->bt_size != size &&
	    !tag_enough(vm)) {
		if (!tag_refill(vm))
			return VMEM_FAIL;
	}
	if (bt == NULL)
		return VMEM_FAIL;
	freelist_remove(vm, bt);
	if (bt->bt_size != size) {
		rest = tag_get(vm);
		rest->bt_start = bt->bt_start + size;
		rest->bt_size = bt->bt_size - size;
		bt->bt_size = size;
		seglist_insert_after(bt, rest);
		freelist_insert(vm, rest);
	}
	bt->bt_type = VMEM_SEG_ALLOC;
	bt->bt_owner = NULL;
	*index_slot(vm, bt->bt_start) = bt;
	vm->vm_inuse += size;
	vm->vm_nalloc++;
	return bt->bt_start;
}

/*
 * Why no allocation starts at addr.  Walks the segments from the bottom
 * of the arena, which is fine on the path of a bug.
 */
static enum vmem_error
diagnose(struct vmem *vm, vaddr_t addr)
{
	struct vmem_btag *bt;

	if (addr < vm->vm_base || addr - vm->vm_base >= vm->vm_size)
		return VMEM_OUT_OF_RANGE;
	/* The segments cover the arena, so the walk stops before NULL. */
	for (bt = vm->vm_first; addr >= bt->bt_start + bt->bt_size;
	    bt = bt->bt_next)
		vm->vm_steps++;
	return bt->bt_type == VMEM_SEG_ALLOC ? VMEM_INTERIOR :
	    VMEM_NOT_ALLOCATED;
}

enum vmem_error
vmem_free(struct vmem *vm, vaddr_t addr, size_t *sizep)
{
	struct vmem_btag *bt, *nbt;
	size_t size;

	vm->vm_steps = 0;
	bt = lookup(vm, addr);
	if (bt == NULL)
		return diagnose(vm, addr);
	vm->vm_steps++;
	*index_slot(vm, addr) = NULL;
	size = bt->bt_size;
	vm->vm_inuse -= size;
	vm->vm_nalloc--;

	/* Merge with free neighbours, so that no two free ones touch. */
	nbt = bt->bt_next;
	if (seg_is_free(vm, nbt)) {
		freelist_remove(vm, nbt);
		seg_merge(vm, bt, nbt);
	}
	nbt = bt->bt_prev;
	if (seg_is_free(vm, nbt)) {
		freelist_remove(vm, nbt);
		seg_merge(vm, nbt, bt);
		bt = nbt;
	}
	freelist_insert(vm, bt);
	if (sizep != NULL)
		*sizep = size;
	return VMEM_OK;
}

size_t
vmem_size(const struct vmem *vm, vaddr_t addr)
{
	struct vmem_btag *bt = lookup(vm, addr);

	return bt != NULL ? bt->bt_size : 0;
}

bool
vmem_set_owner(struct vmem *vm, vaddr_t addr, void *owner)
{
	struct vmem_btag *bt = lookup(vm, addr);

	if (bt == NULL)
		return false;
	bt->bt_owner = owner;
	return true;
}

void *
vmem_owner(const struct vmem *vm, vaddr_t addr)
{
	struct vmem_btag *bt = lookup(vm, addr);

	return bt != NULL ? bt->bt_owner : NULL;
}

void
vmem_stats(const struct vmem *vm, struct vmem_stats *st)
{
	const struct vmem_btag *bt;

	st->vs_size = vm->vm_size;
	st->vs_inuse = vm->vm_inuse;
	st->vs_free = vm->vm_size - vm->vm_inuse;
	st->vs_nalloc = vm->vm_nalloc;
	st->vs_nfree = vm->vm_nfree;
	st->vs_ntags = vm->vm_ntags;
	st->vs_nspare = vm->vm_nspare;
	/* The largest free segment is on the highest non-empty list. */
	st->vs_largest = 0;
	if (vm->vm_freemap == 0)
		return;
	for (bt = vm->vm_freelist[log2_floor(vm->vm_freemap)]; bt != NULL;
	    bt = bt->bt_fnext)
		st->vs_largest = MAX(st->vs_largest, bt->bt_size);
}

const char *
vmem_strerror(enum vmem_error err)
{
	switch (err) {
	case VMEM_OK:
		return "no error";
	case VMEM_NO_TAGS:
		return "no page for boundary tags";
	case VMEM_NOT_ALLOCATED:
		return "address not allocated";
	case VMEM_INTERIOR:
		return "address inside an allocation";
	case VMEM_OUT_OF_RANGE:
		return "address outside the arena";
	}
	return "unknown vmem error";
}

/*
 * Report a broken invariant for vmem_check(), with the address or number
 * it concerns; returns false.
 */
static bool
check_failed(const struct vmem *vm, const char *what, vaddr_t addr)
{
	kprintf("vmem %s: %s (0x%lx)\n", vm->vm_name, what,
	    (unsigned long)addr);
	return false;
}

/* Check the free lists and the bitmap against each other. */
static bool
check_freelists(const struct vmem *vm)
{
	const struct vmem_btag *bt, *prev;
	size_t nfree = 0;
	unsigned i;

	for (i = 0; i < VMEM_NLISTS; i++) {
		if ((vm->vm_freelist[i] != NULL) != ((vm->vm_freemap >> i) & 1))
			return check_failed(vm, "free bitmap is wrong", i);
		prev = NULL;
		for (bt = vm->vm_freelist[i]; bt != NULL; bt = bt->bt_fnext) {
			if (bt->bt_type != VMEM_SEG_FREE)
				return check_failed(vm, "non-free on free list",
				    bt->bt_start);
			if (freelist_of(vm, bt->bt_size) != i)
				return check_failed(vm, "on the wrong free list",
				    bt->bt_start);
			if (bt->bt_fprev != prev)
				return check_failed(vm, "free list link broken",
				    bt->bt_start);
			/* Is it on the segment list, not just a stray tag? */
			if (bt->bt_prev != NULL ? bt->bt_prev->bt_next != bt :
			    bt != vm->vm_first)
				return check_failed(vm, "free tag not a segment",
				    bt->bt_start);
			prev = bt;
			nfree++;
		}
	}
	if (nfree != vm->vm_nfree)
		return check_failed(vm, "free segment count is wrong", 0);
	return true;
}

/* Check the segment list, the counters and the index. */
static bool
check_segments(const struct vmem *vm)
{
	const struct vmem_btag *bt, *prev = NULL;
	vaddr_t qmask = ((vaddr_t)1 << vm->vm_qshift) - 1;
	vaddr_t end = vm->vm_base;
	size_t nalloc = 0, nfree = 0, inuse = 0, nindex = 0, i;

	for (bt = vm->vm_first; bt != NULL; prev = bt, bt = bt->bt_next) {
		if (bt->bt_prev != prev)
			return check_failed(vm, "segment link broken", end);
		if (bt->bt_start != end)
			return check_failed(vm, "gap or overlap", end);
		if (bt->bt_size == 0 || (bt->bt_size & qmask) != 0 ||
		    bt->bt_size > vm->vm_base + vm->vm_size - end)
			return check_failed(vm, "bad segment size", end);
		if (bt->bt_type == VMEM_SEG_FREE) {
			if (prev != NULL && prev->bt_type == VMEM_SEG_FREE)
				return check_failed(vm, "free segments touch",
				    end);
			nfree++;
		} else if (bt->bt_type == VMEM_SEG_ALLOC) {
			if (*index_slot(vm, bt->bt_start) != bt)
				return check_failed(vm, "index is wrong", end);
			inuse += bt->bt_size;
			nalloc++;
		} else {
			return check_failed(vm, "spare tag on segment list",
			    end);
		}
		end += bt->bt_size;
	}
	if (end != vm->vm_base + vm->vm_size)
		return check_failed(vm, "segments end early", end);
	if (nalloc != vm->vm_nalloc || nfree != vm->vm_nfree ||
	    inuse != vm->vm_inuse)
		return check_failed(vm, "counters are wrong", 0);
	/* Every allocation's slot was checked: no other slot may be set. */
	for (i = 0; i < vm->vm_size >> vm->vm_qshift; i++)
		nindex += vm->vm_index[i] != NULL;
	if (nindex != nalloc)
		return check_failed(vm, "stale index slot", 0);
	return true;
}

bool
vmem_check(const struct vmem *vm)
{
	const struct vmem_btag *bt;
	size_t nspare = 0;

	if (vm->vm_first == NULL || vm->vm_first->bt_start != vm->vm_base)
		return check_failed(vm, "no first segment", vm->vm_base);
	for (bt = vm->vm_spare; bt != NULL; bt = bt->bt_next) {
		if (bt->bt_type != VMEM_SEG_SPARE)
			return check_failed(vm, "segment on spare list",
			    bt->bt_start);
		nspare++;
	}
	if (nspare != vm->vm_nspare)
		return check_failed(vm, "spare count is wrong", 0);
	if (vm->vm_nalloc + vm->vm_nfree + vm->vm_nspare != vm->vm_ntags)
		return check_failed(vm, "a tag is lost", 0);
	return check_freelists(vm) && check_segments(vm);
}
