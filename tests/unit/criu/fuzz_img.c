// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The openMosix-NG developers. */
/*
 * libFuzzer target for one image type (FUZZ_IMG = enum om_criu_img):
 * header + entry framing + message decoder, then an encode/decode/encode
 * idempotence check.  The raw input is also decoded as one bare message.
 * pipes-data and fifo-data are walked as the restore walks them, entry
 * and contents (om_criu_next_pipe_data()); ghost-file images too, the
 * entry and the pieces of the contents (om_criu_ghost_head/next()).
 * Pagemaps also go through the shared anonymous memory pagemap check
 * (om_criu_check_shmem_pagemap()), mm's VMAs through its VMA check.
 */
#include <stdio.h>
#include <stdlib.h>
#include "om_criu.h"

static u8 enc1[1 << 20], enc2[1 << 20];

/* eventfd, signalfd, timerfd and epoll entries: a verdict and a reason */
static void check_file(const struct om_criu_file_entry *f)
{
	const char *why = NULL;
	u64 sec, nsec;
	int idx = -1, err = 0;

	if (f->efd)
		err = om_criu_check_eventfd(f->efd, &why);
	if (!err && f->sgfd)
		err = om_criu_check_signalfd(f->sgfd, &why);
	if (!err && f->tfd) {
		err = om_criu_check_timerfd(f->tfd, &why);
		om_criu_timerfd_value(f->tfd, &sec, &nsec);
		if (!err && (sec > OM_CRIU_TIMER_MAX_SEC || nsec >= OM_CRIU_NSEC_PER_SEC))
			abort();	/* what restore would arm passed the check */
	}
	if (!err && f->epfd) {
		err = om_criu_check_eventpoll(f->epfd, &why, &idx);
		if (err && (idx < -1 || idx >= (int)f->epfd->n_tfd))
			abort();
	}
	if (err && (!why || (err != -EINVAL && err != -EOPNOTSUPP)))
		abort();
	if (!err && f->efd && f->efd->counter == ~0ull)
		abort();
}

/* ANON_SHARED VMAs: what passes is criu's simple form */
static void check_mm(const struct om_criu_mm_entry *mm)
{
	const char *why;
	u32 i;

	for (i = 0; i < mm->n_vmas; i++) {
		const struct om_criu_vma_entry *v = &mm->vmas[i];
		int err = om_criu_check_shmem_vma(v, &why);

		if (err && (err != -EINVAL || !why))
			abort();
		if (!err && (v->status != OM_CRIU_VMA_SHMEM_STATUS || v->pgoff || !v->shmid ||
			     !(v->flags & OM_CRIU_MAP_SHARED) || (v->flags & OM_CRIU_MAP_PRIVATE)))
			abort();
	}
}

/* A pagemap's entries as a shmem pagemap of a 1 MiB object */
#define FUZZ_SHM_SIZE	(1ull << 20)
static struct om_criu_pagemap_entry shm_pm[256];
static u32 n_shm_pm;

static void check_shm_pagemap(void)
{
	u64 bytes, end = 0, need = 0;
	const char *why;
	int idx, err;
	u32 i;

	err = om_criu_check_shmem_pagemap(shm_pm, n_shm_pm, FUZZ_SHM_SIZE, &bytes, &why, &idx);
	if (err) {
		if (!why || idx < -1 || idx >= (int)n_shm_pm || (err != -EINVAL && err != -EOPNOTSUPP))
			abort();
		return;
	}
	for (i = 0; i < n_shm_pm; i++) {
		u64 nr = om_criu_pagemap_nr_pages(&shm_pm[i]);
		u32 fl = shm_pm[i].has_flags ? shm_pm[i].flags : OM_CRIU_PE_PRESENT;

		/* what the restore reads into lies inside the object, in order */
		if (!nr || shm_pm[i].vaddr < end || nr > FUZZ_SHM_SIZE / OM_CRIU_PAGE_SIZE ||
		    shm_pm[i].vaddr + nr * OM_CRIU_PAGE_SIZE > FUZZ_SHM_SIZE)
			abort();
		end = shm_pm[i].vaddr + nr * OM_CRIU_PAGE_SIZE;
		if (fl & OM_CRIU_PE_PRESENT)
			need += nr * OM_CRIU_PAGE_SIZE;
	}
	if (need != bytes)
		abort();
}

/* The restore's checks of what it will act on must hold for any entry. */
static void check_semantics(const struct om_pb_msg_desc *d, const void *m)
{
	const struct om_criu_core_entry *co = m;
	const struct om_criu_task_timers_entry *t;
	const char *why;
	u64 sec, nsec;
	int idx, err;
	u32 i;

	if (d == &om_criu_file_entry_desc) {
		check_file(m);
		return;
	}
	if (d == &om_criu_mm_entry_desc) {
		check_mm(m);
		return;
	}
	if (d == &om_criu_pagemap_entry_desc) {
		if (n_shm_pm < sizeof(shm_pm) / sizeof(shm_pm[0]))
			shm_pm[n_shm_pm++] = *(const struct om_criu_pagemap_entry *)m;
		return;
	}
	if (d != &om_criu_core_entry_desc || !co->tc || !co->tc->timers)
		return;
	t = co->tc->timers;
	err = om_criu_check_timers(t, 4242, &why, &idx);
	if (err && (!why || idx < -1 || idx >= (int)t->n_posix ||
		    (err != -EINVAL && err != -EOPNOTSUPP)))
		abort();
	for (i = 0; !err && i < t->n_posix; i++) {
		om_criu_posix_timer_value(&t->posix[i], &sec, &nsec);
		if (sec > OM_CRIU_TIMER_MAX_SEC || nsec >= OM_CRIU_NSEC_PER_SEC)
			abort();	/* what restore would arm passed the check */
	}
}

static void check_msg(const struct om_pb_msg_desc *d, const u8 *p, size_t len)
{
	void *m, *m2;
	int err, n1, n2;

	m = om_pb_unpack(d, p, len, &err);
	if (!m) {
		if (err != -EBADMSG && err != -EPROTO && err != -EMSGSIZE &&
		    err != -ENODATA && err != -EINVAL)
			abort();
		return;
	}
	check_semantics(d, m);
	n1 = om_criu_encode_entry(d, m, enc1, sizeof(enc1));
	if (n1 >= 4) {
		m2 = om_pb_unpack(d, enc1 + 4, n1 - 4, &err);
		if (!m2)
			abort();	/* we must read what we wrote */
		n2 = om_criu_encode_entry(d, m2, enc2, sizeof(enc2));
		if (n2 != n1 || memcmp(enc1, enc2, n1))
			abort();
		om_pb_free_unpacked(d, m2);
	}
	om_pb_free_unpacked(d, m);
}

/* A ghost image walked as the restore walks it: every piece inside the input and the file. */
static void check_ghost(const u8 *data, size_t size)
{
	struct om_criu_ghost_file_entry g;
	struct om_criu_ghost_walk w;
	u64 foff, dlen, end = 0;
	const u8 *p;
	size_t off;
	int r;

	r = om_criu_ghost_head(data, size, &off, &g, &w);
	if (r) {
		if (r != -EBADMSG && r != -EPROTO && r != -EMSGSIZE && r != -ENODATA && r != -EINVAL)
			abort();
		return;
	}
	if (w.size > OM_CRIU_MAX_GHOST || off > size)
		abort();
	while ((r = om_criu_ghost_next(data, size, &off, &w, &foff, &p, &dlen)) == 1) {
		if (!dlen || foff < end || foff + dlen > w.size || p < data || p + dlen > data + size ||
		    p + dlen != data + off)
			abort();
		end = foff + dlen;
	}
	if (r && r != -EBADMSG && r != -EPROTO && r != -EMSGSIZE && r != -ENODATA && r != -EINVAL)
		abort();
	om_pb_free(&om_criu_ghost_file_entry_desc, &g);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const struct om_criu_img_desc *id = &om_criu_images[FUZZ_IMG];
	const struct om_pb_msg_desc *d;
	size_t off = 0;
	unsigned int n = 0;
	const u8 *m;
	u32 ml;
	int hdr;

	hdr = om_criu_check_header(data, size, FUZZ_IMG);
	if (hdr > 0)
		off = hdr;
	if (FUZZ_IMG == OM_CRIU_IMG_PIPES_DATA || FUZZ_IMG == OM_CRIU_IMG_FIFO_DATA) {
		struct om_criu_pipe_data_entry pd;
		const u8 *p = NULL;
		size_t at = off;
		int r = 0;

		while (n < 4096 && (r = om_criu_next_pipe_data(data, size, &off, &pd, &p)) == 1) {
			/* the contents lie inside the input, right after the entry */
			if (off > size || p < data + at + 4 || p + pd.bytes != data + off ||
			    pd.bytes > OM_CRIU_MAX_PIPE_DATA)
				abort();
			check_msg(id->msg, data + at + 4, (size_t)(p - data) - at - 4);
			at = off;
			n++;
		}
		if (n < 4096 && r != 0 && r != -EBADMSG && r != -EPROTO &&
		    r != -EMSGSIZE && r != -ENODATA && r != -EINVAL)
			abort();
		check_msg(id->msg, data, size);
		return 0;
	}
	if (FUZZ_IMG == OM_CRIU_IMG_GHOST_FILE) {
		check_ghost(data, size);
		check_msg(id->msg, data, size);
		check_msg(&om_criu_ghost_chunk_entry_desc, data, size);
		return 0;
	}
	n_shm_pm = 0;
	while (n < 4096 && om_criu_next_entry(data, size, &off, &m, &ml) == 1) {
		d = id->msg;
		if (FUZZ_IMG == OM_CRIU_IMG_PAGEMAP && n == 0)
			d = &om_criu_pagemap_head_desc;
		check_msg(d, m, ml);
		n++;
	}
	if (FUZZ_IMG == OM_CRIU_IMG_PAGEMAP)
		check_shm_pagemap();
	n_shm_pm = 0;
	check_msg(id->msg, data, size);
	n_shm_pm = 0;
	return 0;
}
