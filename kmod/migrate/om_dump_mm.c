// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The openMosix-NG developers.
 *
 * Memory: mm-PID.img (mm fields, auxv, VMAs) and the page images.  Runs
 * in the checkpointer while the target is parked, on the mm reference
 * the target took for us.  Pages are read with get_user_pages_remote()
 * and FOLL_DUMP, which reports never-touched anonymous memory and the
 * zero page as holes instead of allocating; for private file mappings
 * only COWed (anonymous) pages are dumped, as CRIU does.  The mmap_lock
 * is held for one batch of pages at a time and never while writing.
 *
 * Shared anonymous memory the process alone has (om_cantmove_vma()) is
 * an ANON_SHARED VMA whose shmid is its shmem inode's number, as criu
 * writes it; its contents go to pagemap-shmem-<shmid>.img (offsets in
 * the object) and pages-<id>.img, ids counted on from pages-1.img's.
 * They are read from the object's page cache: a page never touched
 * (no entry) is a hole, a swapped-out one is read back in.
 *
 * A migration stream with pages_last goes in two passes: the first
 * writes mm-PID.img and every pagemap, holding each batch of pages only
 * while it looks at them, and records the runs it wrote; the second
 * (om_dump_mm_pages(), after the other images) sends exactly those runs'
 * data.  The process is frozen in between, so the runs hold the same
 * pages; a page that went away meanwhile (MADV_FREE memory the kernel
 * reclaimed, which reads as zeroes) is sent as zeroes, so the data always
 * match the pagemap already sent.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/bvec.h>
#include <linux/shmem_fs.h>
#include <linux/pagemap.h>
#include <linux/xarray.h>
#include <asm/elf.h>

#include "om_ckpt.h"

#define OM_DUMP_BATCH	256	/* pages per get_user_pages_remote() */
#define OM_RUN_PRIVATE	U32_MAX	/* om_mm_run.vi: the process's own pages */

/* A pagemap entry the first pass wrote (pages_last) */
struct om_mm_run {
	u64 start;		/* vaddr, or the offset in a shared object */
	u32 nr;			/* pages */
	u32 vi;			/* OM_RUN_PRIVATE, or the shared VMA's index */
};

struct om_vma {
	unsigned long start, end, vm_flags;
	u64 pgoff;
	struct file *file;
	struct file *shm;	/* shared anonymous: the object's file */
	u32 status;
	bool anon_only;		/* private file mapping: COWed pages only */
	bool dump;
	bool has_anon;		/* anon_vma set: something was faulted in */
};

struct om_mm_walk {
	struct om_ckpt *c;
	struct mm_struct *mm;
	struct om_vma *v;
	unsigned int n;
	unsigned int n_shm;
	struct om_criu_mm_entry me;
	u64 auxv[OM_CRIU_MAX_AUXV];
	/* pages */
	struct om_img pagemap, pages;
	struct page **pg;
	struct bio_vec *bv;
	unsigned long run_start;
	u32 run_pages, run_flags;
	/* pages_last: the first pass records its runs here, sends no data */
	bool dry;
	u32 run_vi;
	struct om_mm_run *runs;
	u32 n_runs, cap_runs;
};

static u32 om_vma_prot(unsigned long f)
{
	return (f & VM_READ ? PROT_READ : 0) | (f & VM_WRITE ? PROT_WRITE : 0) |
	       (f & VM_EXEC ? PROT_EXEC : 0);
}

/* mmap_lock held; fills one entry or refuses. */
static int om_vma_classify(struct om_mm_walk *w, struct vm_area_struct *vma,
			   struct om_vma *v)
{
	const char *name = NULL;
	int err;

	err = om_cantmove_vma(vma, w->c->fz->st.cm, w->c->out.reason);
	if (err)
		return err;
	v->start = vma->vm_start;
	v->end = vma->vm_end;
	v->vm_flags = vma->vm_flags;
	v->has_anon = !!vma->anon_vma;
	if (vma->vm_ops && vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	if (name) {
		if (!strcmp(name, "[vdso]")) {
			v->status = OM_CRIU_VMA_AREA_REGULAR |
				    OM_CRIU_VMA_AREA_VDSO |
				    OM_CRIU_VMA_ANON_PRIVATE;
			v->dump = true;
			v->has_anon = true;	/* always dumped whole */
		} else {
			v->status = OM_CRIU_VMA_AREA_REGULAR |
				    OM_CRIU_VMA_AREA_VVAR |
				    OM_CRIU_VMA_ANON_PRIVATE;
		}
		return 0;
	}
	if (vma_is_anonymous(vma)) {
		v->status = OM_CRIU_VMA_AREA_REGULAR | OM_CRIU_VMA_ANON_PRIVATE;
		if (vma->vm_start <= w->mm->brk && vma->vm_end >= w->mm->start_brk)
			v->status |= OM_CRIU_VMA_AREA_HEAP;
		v->dump = true;
		return 0;
	}
	if (om_vma_is_shanon(vma)) {
		if (w->n_shm >= OM_CRIU_MAX_SHMEM) {
			om_reason(w->c->out.reason, "more than %u shared anonymous mappings (not supported)",
				  OM_CRIU_MAX_SHMEM);
			return -EBUSY;
		}
		w->n_shm++;
		v->status = OM_CRIU_VMA_SHMEM_STATUS;
		v->shm = get_file(vma->vm_file);
		return 0;
	}
	v->file = get_file(vma->vm_file);
	v->pgoff = (u64)vma->vm_pgoff << PAGE_SHIFT;
	if (vma->vm_flags & VM_SHARED) {
		v->status = OM_CRIU_VMA_AREA_REGULAR | OM_CRIU_VMA_FILE_SHARED;
	} else {
		v->status = OM_CRIU_VMA_AREA_REGULAR | OM_CRIU_VMA_FILE_PRIVATE;
		v->dump = true;
		v->anon_only = true;
	}
	return 0;
}

static int om_mm_collect(struct om_mm_walk *w)
{
	struct mm_struct *mm = w->mm;
	struct vm_area_struct *vma;
	unsigned int cap;
	int err = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	cap = mm->map_count;
	mmap_read_unlock(mm);
	w->v = kvcalloc(cap + 1, sizeof(*w->v), GFP_KERNEL);
	if (!w->v)
		return -ENOMEM;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (w->n > cap) {
				om_reason(w->c->out.reason, "memory map changed");
				err = -EAGAIN;
				break;
			}
			err = om_vma_classify(w, vma, &w->v[w->n]);
			if (err)
				break;
			w->n++;
		}
	}
	/* mm fields, as prctl_set_mm_map() reads them */
	w->me.mm_start_code = mm->start_code;
	w->me.mm_end_code = mm->end_code;
	w->me.mm_start_data = mm->start_data;
	w->me.mm_end_data = mm->end_data;
	w->me.mm_start_stack = mm->start_stack;
	w->me.mm_start_brk = mm->start_brk;
	w->me.mm_brk = mm->brk;
	spin_lock(&mm->arg_lock);
	w->me.mm_arg_start = mm->arg_start;
	w->me.mm_arg_end = mm->arg_end;
	w->me.mm_env_start = mm->env_start;
	w->me.mm_env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	w->me.has_dumpable = true;
	w->me.dumpable = get_dumpable(mm);
	w->me.has_thp_disabled = true;
	w->me.thp_disabled = test_bit(MMF_DISABLE_THP, &mm->flags);
	mmap_read_unlock(mm);
	return err;
}

/*
 * auxv as criu records it: the words /proc/PID/auxv shows (the vector up
 * to and including its AT_NULL pair), at most 44 of them.  Restore zeroes
 * what follows, so up to 22 entries come back exactly (6.12 gives 22 on a
 * CPU with FSGSBASE: AT_HWCAP2 and the two AT_RSEQ_*); a longer vector
 * cannot be recorded and is refused.
 */
static int om_mm_auxv(struct om_mm_walk *w)
{
	unsigned int i, n = 0, max = ARRAY_SIZE(w->mm->saved_auxv);

	while (n + 2 <= max && w->mm->saved_auxv[n])
		n += 2;
	if (n > OM_CRIU_MAX_AUXV) {
		om_reason(w->c->out.reason, "its auxiliary vector has %u entries, more than an image holds (%u)",
			  n / 2, OM_CRIU_MAX_AUXV / 2);
		return -E2BIG;
	}
	n = min_t(unsigned int, n + 2, OM_CRIU_MAX_AUXV);
	for (i = 0; i < n; i++)
		w->auxv[i] = w->mm->saved_auxv[i];
	w->me.mm_saved_auxv = w->auxv;
	w->me.n_mm_saved_auxv = n;
	return 0;
}

/* The first pass's run, for the second (grown by doubling, copied) */
static int om_mm_note_run(struct om_mm_walk *w)
{
	if (w->n_runs == w->cap_runs) {
		u32 cap = w->cap_runs ? 2 * w->cap_runs : 64;
		struct om_mm_run *n;

		if (cap > INT_MAX / sizeof(*n))
			return -ENOMEM;
		n = kvmalloc_array(cap, sizeof(*n), GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		if (w->n_runs)
			memcpy(n, w->runs, w->n_runs * sizeof(*n));
		kvfree(w->runs);
		w->runs = n;
		w->cap_runs = cap;
	}
	w->runs[w->n_runs].start = w->run_start;
	w->runs[w->n_runs].nr = w->run_pages;
	w->runs[w->n_runs].vi = w->run_vi;
	w->n_runs++;
	return 0;
}

static int om_mm_flush_run(struct om_mm_walk *w)
{
	struct om_criu_pagemap_entry pe;
	int err;

	if (!w->run_pages)
		return 0;
	if (w->dry) {
		err = om_mm_note_run(w);
		if (err)
			return err;
	}
	om_criu_pagemap_set(&pe, w->run_start, w->run_pages, w->run_flags);
	err = om_criu_write_entry(&w->pagemap.sink, &om_criu_pagemap_entry_desc, &pe);
	w->run_pages = 0;
	return err;
}

static int om_mm_add_pages(struct om_mm_walk *w, unsigned long addr,
			   unsigned int nr, u32 flags)
{
	int err;

	if (w->run_pages && w->run_flags == flags &&
	    w->run_start + ((unsigned long)w->run_pages << PAGE_SHIFT) == addr &&
	    w->run_pages < U32_MAX - nr) {
		w->run_pages += nr;
		return 0;
	}
	err = om_mm_flush_run(w);
	if (err)
		return err;
	w->run_start = addr;
	w->run_pages = nr;
	w->run_flags = flags;
	return 0;
}

/* One batch starting at addr; returns pages consumed (>= 1) or -errno. */
static long om_mm_batch(struct om_mm_walk *w, struct om_vma *v,
			unsigned long addr)
{
	unsigned long nr = min_t(unsigned long, OM_DUMP_BATCH,
				 (v->end - addr) >> PAGE_SHIFT);
	u32 flags = OM_CRIU_PE_PRESENT;
	unsigned long first = 0;
	unsigned int copied = 0;
	long got, i;
	int err = 0;

	if (!v->anon_only && !(v->status & OM_CRIU_VMA_AREA_VDSO))
		flags |= OM_CRIU_PE_LAZY;
	if (mmap_read_lock_killable(w->mm))
		return -EINTR;
	got = om_gup_remote(w->mm, addr, nr, FOLL_DUMP | FOLL_FORCE, w->pg);
	mmap_read_unlock(w->mm);
	if (got == -EFAULT || got == 0)
		return 1;		/* a hole */
	if (got < 0)
		return got;

	for (i = 0; i < got; i++) {
		struct page *p = w->pg[i];
		bool want = !v->anon_only || PageAnon(p);

		if (want) {
			/* written straight from the page: no bounce copy */
			if (!copied)
				first = addr + (i << PAGE_SHIFT);
			w->bv[copied].bv_page = p;
			w->bv[copied].bv_len = PAGE_SIZE;
			w->bv[copied].bv_offset = 0;
			copied++;
		} else {
			put_page(p);
		}
		/* flush at a gap so the pagemap stays exact */
		if (copied && (!want || i == got - 1)) {
			unsigned int j;

			err = om_mm_add_pages(w, first, copied, flags);
			if (!err && !w->dry)
				err = om_img_pages(&w->pages, w->bv, copied);
			for (j = 0; j < copied; j++)
				put_page(w->bv[j].bv_page);
			w->c->pages += copied;
			copied = 0;
			if (err) {
				for (i++; i < got; i++)
					put_page(w->pg[i]);
				return err;
			}
		}
	}
	return got;
}

static int om_mm_pages(struct om_mm_walk *w)
{
	struct om_criu_pagemap_head head = { .pages_id = OM_CKPT_PAGES_ID };
	unsigned int i;
	int err;

	w->pg = kvmalloc_array(OM_DUMP_BATCH, sizeof(*w->pg), GFP_KERNEL);
	w->bv = kvmalloc_array(OM_DUMP_BATCH, sizeof(*w->bv), GFP_KERNEL);
	if (!w->pg || !w->bv)
		return -ENOMEM;
	err = om_img_open(&w->c->out, &w->pagemap, "pagemap-%d.img", w->c->pid);
	if (err)
		return err;
	w->run_vi = OM_RUN_PRIVATE;
	if (!w->dry) {
		err = om_img_open(&w->c->out, &w->pages, "pages-%d.img", OM_CKPT_PAGES_ID);
		if (err)
			goto out;
	}
	err = om_criu_write_header(&w->pagemap.sink, OM_CRIU_IMG_PAGEMAP);
	if (!err)
		err = om_criu_write_entry(&w->pagemap.sink,
					  &om_criu_pagemap_head_desc, &head);
	for (i = 0; !err && i < w->n; i++) {
		struct om_vma *v = &w->v[i];
		unsigned long addr = v->start;

		if (!v->dump || !v->has_anon)
			continue;
		while (addr < v->end) {
			long n;

			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
			n = om_mm_batch(w, v, addr);
			if (n < 0) {
				err = n;
				om_reason(w->c->out.reason,
					  "cannot read memory at %lx: %d", addr, err);
				break;
			}
			addr += n << PAGE_SHIFT;
			cond_resched();
		}
	}
	if (!err)
		err = om_mm_flush_run(w);
	if (!w->dry)
		err = om_img_close(&w->pages, err);
out:
	return om_img_close(&w->pagemap, err);
}

/* Writes the pages gathered in w->bv (@n of them, from offset @first). */
static int om_shm_flush(struct om_mm_walk *w, u64 first, unsigned int n)
{
	unsigned int j;
	int err;

	if (!n)
		return 0;
	err = om_mm_add_pages(w, first, n, OM_CRIU_PE_PRESENT);
	if (!err)
		err = om_img_pages(&w->pages, w->bv, n);
	for (j = 0; j < n; j++)
		put_page(w->bv[j].bv_page);
	w->c->pages += n;
	return err;
}

/* pagemap-shmem-<shmid>.img and pages-@id.img of one shared anonymous VMA */
static int om_shm_pages(struct om_mm_walk *w, struct om_vma *v, u32 id)
{
	struct om_criu_pagemap_head head = { .pages_id = id };
	struct address_space *m = v->shm->f_mapping;
	pgoff_t i, nr = (v->end - v->start) >> PAGE_SHIFT;
	unsigned int copied = 0;
	u64 first = 0;
	int err;

	w->run_pages = 0;
	err = om_img_open(&w->c->out, &w->pagemap, OM_CRIU_PAGEMAP_SHMEM_FMT,
			  (unsigned long long)file_inode(v->shm)->i_ino);
	if (err)
		return err;
	err = om_img_open(&w->c->out, &w->pages, "pages-%u.img", id);
	if (err)
		goto out;
	err = om_criu_write_header(&w->pagemap.sink, OM_CRIU_IMG_PAGEMAP);
	if (!err)
		err = om_criu_write_entry(&w->pagemap.sink, &om_criu_pagemap_head_desc, &head);
	for (i = 0; !err && i < nr; i++) {
		struct page *p;

		/* nothing there (never touched): a hole; a swap entry is read in */
		if (!xa_load(&m->i_pages, i)) {
			err = om_shm_flush(w, first, copied);
			copied = 0;
			continue;
		}
		p = shmem_read_mapping_page(m, i);
		if (IS_ERR(p)) {
			err = PTR_ERR(p);
			om_reason(w->c->out.reason, "cannot read shared anonymous memory at %lx: %d",
				  v->start + (i << PAGE_SHIFT), err);
			break;
		}
		if (!copied)
			first = (u64)i << PAGE_SHIFT;
		w->bv[copied].bv_page = p;
		w->bv[copied].bv_len = PAGE_SIZE;
		w->bv[copied].bv_offset = 0;
		if (++copied == OM_DUMP_BATCH) {
			err = om_shm_flush(w, first, copied);
			copied = 0;
		}
		if (fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	if (err) {
		for (i = 0; i < copied; i++)
			put_page(w->bv[i].bv_page);
	} else {
		err = om_shm_flush(w, first, copied);
	}
	if (!err)
		err = om_mm_flush_run(w);
	err = om_img_close(&w->pages, err);
out:
	return om_img_close(&w->pagemap, err);
}

/*
 * The first pass of a shared anonymous VMA (pages_last): its
 * pagemap-shmem-<shmid>.img only, from which offsets have pages (or swap
 * entries) in the object now.
 */
static int om_shm_map(struct om_mm_walk *w, unsigned int vi, u32 id)
{
	struct om_vma *v = &w->v[vi];
	struct om_criu_pagemap_head head = { .pages_id = id };
	struct address_space *m = v->shm->f_mapping;
	pgoff_t i, nr = (v->end - v->start) >> PAGE_SHIFT;
	int err;

	w->run_pages = 0;
	w->run_vi = vi;
	err = om_img_open(&w->c->out, &w->pagemap, OM_CRIU_PAGEMAP_SHMEM_FMT,
			  (unsigned long long)file_inode(v->shm)->i_ino);
	if (err)
		return err;
	err = om_criu_write_header(&w->pagemap.sink, OM_CRIU_IMG_PAGEMAP);
	if (!err)
		err = om_criu_write_entry(&w->pagemap.sink, &om_criu_pagemap_head_desc, &head);
	for (i = 0; !err && i < nr; i++) {
		if (!xa_load(&m->i_pages, i)) {
			err = om_mm_flush_run(w);
			continue;
		}
		err = om_mm_add_pages(w, (u64)i << PAGE_SHIFT, 1, OM_CRIU_PE_PRESENT);
		w->c->pages++;
		if (fatal_signal_pending(current))
			err = -EINTR;
		if (!(i % OM_DUMP_BATCH))
			cond_resched();
	}
	if (!err)
		err = om_mm_flush_run(w);
	return om_img_close(&w->pagemap, err);
}

static int om_mm_shm(struct om_mm_walk *w)
{
	u32 id = OM_CKPT_PAGES_ID;
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < w->n; i++) {
		if (!w->v[i].shm)
			continue;
		if (w->dry)
			err = om_shm_map(w, i, ++id);
		else
			err = om_shm_pages(w, &w->v[i], ++id);
	}
	return err;
}

/* ------------------------------------------- pages_last: the second pass */

/* The pages gathered in w->bv are let go (not sent): an error's way out */
static void om_mm_drop_bv(struct om_mm_walk *w, unsigned int *n)
{
	unsigned int j;

	for (j = 0; j < *n; j++)
		if (w->bv[j].bv_page != ZERO_PAGE(0))
			put_page(w->bv[j].bv_page);
	*n = 0;
}

/* The pages gathered in w->bv go out; each one's reference is dropped. */
static int om_mm_send_bv(struct om_mm_walk *w, unsigned int *n)
{
	int err;

	if (!*n)
		return 0;
	err = om_img_pages(&w->pages, w->bv, *n);
	om_mm_drop_bv(w, n);
	return err;
}

static void om_mm_bv_set(struct om_mm_walk *w, unsigned int i, struct page *p)
{
	w->bv[i].bv_page = p;
	w->bv[i].bv_len = PAGE_SIZE;
	w->bv[i].bv_offset = 0;
}

/* The VMA at @addr, from the cursor on (runs come in address order) */
static struct om_vma *om_mm_vma_at(struct om_mm_walk *w, unsigned long addr,
				   unsigned int *cur)
{
	while (*cur < w->n && w->v[*cur].end <= addr)
		(*cur)++;
	if (*cur < w->n && w->v[*cur].start <= addr)
		return &w->v[*cur];
	return NULL;
}

/*
 * One run of the process's own pages, as the first pass saw it: a page
 * that is not there now, or no longer one the pagemap takes (not a COWed
 * page of a private file mapping), goes as zeroes.
 */
static int om_mm_send_run(struct om_mm_walk *w, const struct om_mm_run *run,
			  unsigned int *cur)
{
	unsigned long addr = run->start, end = run->start + ((u64)run->nr << PAGE_SHIFT);
	unsigned int n = 0;
	int err = 0;

	while (!err && addr < end) {
		unsigned long nr = min_t(unsigned long, OM_DUMP_BATCH - n,
					 (end - addr) >> PAGE_SHIFT);
		long got, i;

		if (fatal_signal_pending(current) || mmap_read_lock_killable(w->mm)) {
			om_mm_drop_bv(w, &n);
			return -EINTR;
		}
		got = om_gup_remote(w->mm, addr, nr, FOLL_DUMP | FOLL_FORCE, w->pg);
		mmap_read_unlock(w->mm);
		if (got < 0 && got != -EFAULT) {
			om_mm_drop_bv(w, &n);
			return got;
		}
		if (got <= 0) {
			/* a hole now: zeroes */
			om_mm_bv_set(w, n++, ZERO_PAGE(0));
			addr += PAGE_SIZE;
		}
		for (i = 0; i < got; i++, addr += PAGE_SIZE) {
			struct om_vma *v = om_mm_vma_at(w, addr, cur);
			struct page *p = w->pg[i];

			if (!v || (v->anon_only && !PageAnon(p))) {
				put_page(p);
				p = ZERO_PAGE(0);
			}
			om_mm_bv_set(w, n++, p);
		}
		if (n == OM_DUMP_BATCH || addr >= end)
			err = om_mm_send_bv(w, &n);
		cond_resched();
	}
	return err;
}

/* One run of a shared object's pages (offsets in the object) */
static int om_shm_send_run(struct om_mm_walk *w, struct om_vma *v,
			   const struct om_mm_run *run)
{
	struct address_space *m = v->shm->f_mapping;
	pgoff_t i = run->start >> PAGE_SHIFT, end = i + run->nr;
	unsigned int n = 0;
	int err = 0;

	for (; !err && i < end; i++) {
		struct page *p = ZERO_PAGE(0);

		if (xa_load(&m->i_pages, i)) {
			p = shmem_read_mapping_page(m, i);
			if (IS_ERR(p)) {
				om_reason(w->c->out.reason,
					  "cannot read shared anonymous memory at %lx: %d",
					  v->start + (i << PAGE_SHIFT), (int)PTR_ERR(p));
				om_mm_drop_bv(w, &n);
				return PTR_ERR(p);
			}
		}
		om_mm_bv_set(w, n++, p);
		if (n == OM_DUMP_BATCH || i + 1 == end)
			err = om_mm_send_bv(w, &n);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	om_mm_drop_bv(w, &n);	/* an error left some */
	return err;
}

/* pages-@id.img: the first pass's runs of @vi (OM_RUN_PRIVATE or a shared VMA) */
static int om_mm_send_image(struct om_mm_walk *w, u32 vi, u32 id)
{
	unsigned int cur = 0;
	u32 k;
	int err;

	err = om_img_open(&w->c->out, &w->pages, "pages-%u.img", id);
	if (err)
		return err;
	for (k = 0; !err && k < w->n_runs; k++) {
		if (w->runs[k].vi != vi)
			continue;
		if (vi == OM_RUN_PRIVATE)
			err = om_mm_send_run(w, &w->runs[k], &cur);
		else
			err = om_shm_send_run(w, &w->v[vi], &w->runs[k]);
		if (err && !w->c->out.reason[0])
			om_reason(w->c->out.reason, "cannot send memory at %llx: %d",
				  w->runs[k].start, err);
	}
	return om_img_close(&w->pages, err);
}

static void om_mm_walk_free(struct om_mm_walk *w)
{
	unsigned int i;

	for (i = 0; i < w->n; i++) {
		if (w->v[i].file)
			fput(w->v[i].file);
		if (w->v[i].shm)
			fput(w->v[i].shm);
	}
	kvfree(w->v);
	kvfree(w->pg);
	kvfree(w->bv);
	kvfree(w->runs);
	kfree(w);
}

/*
 * pages_last: the page data of the pagemaps om_dump_mm() wrote, after
 * the other images: pages-1.img, then each shared VMA's pages-M.img.
 */
int om_dump_mm_pages(struct om_ckpt *c)
{
	struct om_mm_walk *w = c->mm_walk;
	u32 id = OM_CKPT_PAGES_ID;
	unsigned int i;
	int err;

	if (!w)
		return 0;
	err = om_mm_send_image(w, OM_RUN_PRIVATE, id);
	for (i = 0; !err && i < w->n; i++)
		if (w->v[i].shm)
			err = om_mm_send_image(w, i, ++id);
	om_dump_mm_drop(c);
	return err;
}

/* What om_dump_mm() kept for om_dump_mm_pages(), on the way out */
void om_dump_mm_drop(struct om_ckpt *c)
{
	if (c->mm_walk)
		om_mm_walk_free(c->mm_walk);
	c->mm_walk = NULL;
}

static int om_mm_write(struct om_mm_walk *w)
{
	struct om_criu_vma_entry *ve;
	unsigned int i;
	int err;

	ve = kvcalloc(w->n, sizeof(*ve), GFP_KERNEL);
	if (!ve)
		return -ENOMEM;
	for (i = 0; i < w->n; i++) {
		struct om_vma *v = &w->v[i];
		struct om_criu_vma_entry *e = &ve[i];

		e->start = v->start;
		e->end = v->end;
		e->prot = om_vma_prot(v->vm_flags);
		e->status = v->status;
		e->fd = -1;
		e->flags = v->vm_flags & VM_SHARED ? MAP_SHARED : MAP_PRIVATE;
		if (!v->file)
			e->flags |= MAP_ANONYMOUS;
		if (v->shm)
			e->shmid = file_inode(v->shm)->i_ino;
		if (v->vm_flags & VM_GROWSDOWN)
			e->flags |= MAP_GROWSDOWN;
		if (v->vm_flags & VM_LOCKED)
			e->flags |= MAP_LOCKED;
		if (v->vm_flags & VM_NORESERVE)
			e->flags |= MAP_NORESERVE;
		if (v->file) {
			u32 id;

			err = om_ckpt_ftab_add_path(w->c, om_file_user_path(v->file), &id);
			if (err)
				goto out;
			e->pgoff = v->pgoff;
			e->shmid = id;
			e->has_fdflags = true;
			e->fdflags = v->file->f_flags & O_ACCMODE;
		}
		e->madv = (v->vm_flags & VM_RAND_READ ? BIT(MADV_RANDOM) : 0) |
			  (v->vm_flags & VM_SEQ_READ ? BIT(MADV_SEQUENTIAL) : 0) |
			  (v->vm_flags & VM_DONTCOPY ? BIT(MADV_DONTFORK) : 0) |
			  (v->vm_flags & VM_DONTDUMP ? BIT(MADV_DONTDUMP) : 0) |
			  (v->vm_flags & VM_MERGEABLE ? BIT(MADV_MERGEABLE) : 0) |
			  (v->vm_flags & VM_WIPEONFORK ? BIT_ULL(MADV_WIPEONFORK) : 0) |
			  (v->vm_flags & VM_HUGEPAGE ? BIT(MADV_HUGEPAGE) : 0) |
			  (v->vm_flags & VM_NOHUGEPAGE ? BIT(MADV_NOHUGEPAGE) : 0);
		e->has_madv = e->madv != 0;
	}
	w->me.vmas = ve;
	w->me.n_vmas = w->n;
	w->c->n_vmas = w->n;
	err = 0;
	if (w->c->fz->st.exe)
		err = om_ckpt_ftab_add_path(w->c, &w->c->fz->st.exe->f_path,
					    &w->me.exe_file_id);
	if (!err) {
		char name[32];

		snprintf(name, sizeof(name), "mm-%d.img", w->c->pid);
		err = om_img_single(&w->c->out, OM_CRIU_IMG_MM, name, &w->me);
	}
out:
	kvfree(ve);
	return err;
}

int om_dump_mm(struct om_ckpt *c)
{
	struct om_mm_walk *w;
	int err;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->c = c;
	w->mm = c->fz->st.mm;
	w->dry = c->out.stream && c->out.pages_last;
	err = om_mm_collect(w);
	if (!err)
		err = om_mm_auxv(w);
	if (!err)
		err = om_mm_write(w);
	if (!err)
		err = om_mm_pages(w);
	if (!err)
		err = om_mm_shm(w);
	if (!err && w->dry) {
		/* the page data go last: om_dump_mm_pages() */
		c->mm_walk = w;
		return 0;
	}
	om_mm_walk_free(w);
	return err;
}
