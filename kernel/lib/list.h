/*
 * kernel/lib/list.h - the one linked list of the kernel: intrusive,
 * doubly linked, with a sentinel.
 *
 * Intrusive: the links live inside the object (a struct list_node member),
 * so putting an object on a list allocates nothing and can never fail,
 * and taking it off, given only the object, takes constant time.  An
 * object may be on several lists at once through several members.
 *
 *	struct thread {
 *		...
 *		struct list_node q_link;	// on the run or a sleep queue
 *	};
 *	static struct list run_queue = LIST_INIT(run_queue);
 *
 *	list_push_back(&run_queue, &t->q_link);
 *	...
 *	struct list_node *n = list_pop_front(&run_queue);	// NULL if empty
 *	struct thread *next = list_entry(n, struct thread, q_link);
 *
 * The list head is a sentinel node, linked to the first and the last
 * element, so that no operation has a special case for the ends (Pintos's
 * lib/kernel/list.h and Linux's list.h are built the same way).  A node
 * that is on no list has both links NULL once list_remove() has taken it
 * off, so that list_linked() can tell.
 *
 * Nothing here locks: the owner of a list serialises access to it.
 * This header is pure logic (tests/host/test_list.c runs it on the host).
 */
#ifndef KIVA_KERNEL_LIB_LIST_H
#define KIVA_KERNEL_LIB_LIST_H

#include "kernel/lib/types.h"

struct list_node {
	struct list_node *prev, *next;
};

struct list {
	struct list_node head;	/* the sentinel: head.next is the first */
};

/* A static list: `static struct list l = LIST_INIT(l);`. */
#define LIST_INIT(name) { { &(name).head, &(name).head } }

/* The object a node is embedded in (the C idiom usually called
 * container_of). */
#define list_entry(node, type, member) \
	((type *)((char *)(node) - offsetof(type, member)))

/* Every node of the list, first to last; the loop must not remove pos. */
#define list_for_each(pos, list) \
	for ((pos) = (list)->head.next; (pos) != &(list)->head; \
	     (pos) = (pos)->next)

/* The same, where the loop body may remove pos (tmp holds the next one). */
#define list_for_each_safe(pos, tmp, list) \
	for ((pos) = (list)->head.next, (tmp) = (pos)->next; \
	     (pos) != &(list)->head; (pos) = (tmp), (tmp) = (pos)->next)

static inline void list_init(struct list *l)
{
	l->head.prev = l->head.next = &l->head;
}

static inline bool list_empty(const struct list *l)
{
	return l->head.next == &l->head;
}

/* Links n in between two neighbours. */
static inline void list_link_between(struct list_node *prev,
                                     struct list_node *n,
                                     struct list_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

/* Inserts n right after pos, which is on a list (or is its sentinel). */
static inline void list_insert_after(struct list_node *pos,
                                     struct list_node *n)
{
	list_link_between(pos, n, pos->next);
}

/* Inserts n right before pos. */
static inline void list_insert_before(struct list_node *pos,
                                      struct list_node *n)
{
	list_link_between(pos->prev, n, pos);
}

static inline void list_push_front(struct list *l, struct list_node *n)
{
	list_insert_after(&l->head, n);
}

static inline void list_push_back(struct list *l, struct list_node *n)
{
	list_insert_before(&l->head, n);
}

/* Takes n off whatever list it is on; its links become NULL. */
static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = NULL;
}

/* True when n is on a list (it was inserted and not removed since). */
static inline bool list_linked(const struct list_node *n)
{
	return n->next != NULL;
}

/* The first node, or NULL when the list is empty. */
static inline struct list_node *list_front(const struct list *l)
{
	return list_empty(l) ? NULL : l->head.next;
}

/* The last node, or NULL when the list is empty. */
static inline struct list_node *list_back(const struct list *l)
{
	return list_empty(l) ? NULL : l->head.prev;
}

/* Removes and returns the first node, or NULL when the list is empty. */
static inline struct list_node *list_pop_front(struct list *l)
{
	struct list_node *n = list_front(l);

	if (n != NULL)
		list_remove(n);
	return n;
}

/* The node after n on l, or NULL when n is the last. */
static inline struct list_node *list_next(const struct list *l,
                                          const struct list_node *n)
{
	return n->next == &l->head ? NULL : n->next;
}

/* The node before n on l, or NULL when n is the first. */
static inline struct list_node *list_prev(const struct list *l,
                                          const struct list_node *n)
{
	return n->prev == &l->head ? NULL : n->prev;
}

#endif
