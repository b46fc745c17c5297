package dev.triage.core;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A group's memory of operation ids (each one's first result) and of recently ended tickets (why they ended),
 * each until its forget time. Flat arrays, not a map of small records: a lease bound's worth of commands is
 * hundreds of thousands of entries, which as objects (even just their id strings) outlive the young generation
 * and cost most of the GC time.
 *
 * <p>An entry lives in a slot of four longs (forget position, value, hash and flags, key location), so that
 * touching an entry reads one cache line; freed slots are reused. An open-addressing table finds a slot by kind
 * and key. Keys are copied into a byte arena as Latin-1 (a rare wider key is kept as its string). Forget times
 * sit in a ring in the order they were set, the group's forget queue; a slot knows which ring position currently
 * speaks for it, so an older position of a re-kept entry is skipped. Whether a memo's key is a ticket that waits
 * or holds a lease is a flag, set by the group state as tickets come and go, so forgetting needs no key string.
 */
final class OperationMemo {

    private static final int FREE = 0;
    private static final int MEMO = 1;
    private static final int END = 2;
    /** How a memo's result is held: most as a code and a value; only a lease or an unusual result as an object. */
    private static final int AS_RESULT = 0;
    private static final int AS_ARRIVAL = 1;
    private static final int AS_LEASE = 2;
    private static final int AS_RELEASED = 3;
    private static final int AS_REFUSED = 4;
    private static final int AS_CANCELLED = 5;

    /** The longs of a slot: its ring position (or -1), its value, its hash and flags, where its key is. */
    private static final int STRIDE = 4;
    private static final int POSITION = 0;
    private static final int VALUE = 1;
    private static final int INFO = 2;
    private static final int KEY = 3;

    private static final EndReason[] END_REASONS = EndReason.values();
    private static final Result[] RELEASED = {new Result.Released(false), new Result.Released(true)};
    private static final Result[] REFUSED = Arrays.stream(Result.Refusal.values()).map(Result.Refused::new)
            .toArray(Result[]::new);
    private static final Result[] CANCELLED = Arrays.stream(Result.CancelEffect.values()).map(Result.Cancelled::new)
            .toArray(Result[]::new);
    private static final Result APPLIED = new Result.Applied();

    private long[] slots = new long[16 * STRIDE];
    /** A granted lease or an unusual result; a key with a character above U+00FF. Both rare, so apart. */
    private Object[] refs = new Object[16];
    private String[] wideKeys = new String[16];
    private int slotsUsed;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int memos;
    private int ends;

    /**
     * Per bucket, the entry's hash in the high half and its slot + 1 in the low half (0: empty), so that a probe
     * reads no slot until the hash matches; linear probing, at most half full.
     */
    private long[] table = new long[32];

    private long[] ringAt = new long[16];
    private int[] ringSlot = new int[16];
    private long head;
    private long tail;

    private byte[] arena = new byte[256];
    private byte[] spareArena;
    private int arenaEnd;
    private int arenaLive;

    /** A shared instance of a small result, so that remembering or returning it makes no object. */
    static Result canonical(Result result) {
        if (result instanceof Result.Released r) return RELEASED[r.held() ? 1 : 0];
        if (result instanceof Result.Refused r) return REFUSED[r.reason().ordinal()];
        if (result instanceof Result.Cancelled c) return CANCELLED[c.effect().ordinal()];
        if (result instanceof Result.Applied) return APPLIED;
        return result;
    }

    // ---- reads ----

    Result result(String opId) {
        int slot = find(MEMO, opId);
        if (slot < 0) return null;
        long value = slots[slot * STRIDE + VALUE];
        return switch (form(slot)) {
            case AS_ARRIVAL -> new Result.Queued(value);
            case AS_LEASE -> new Result.Granted((Lease) refs[slot]);
            case AS_RELEASED -> RELEASED[(int) value];
            case AS_REFUSED -> REFUSED[(int) value];
            case AS_CANCELLED -> CANCELLED[(int) value];
            default -> (Result) refs[slot];
        };
    }

    EndReason end(String ticketId) {
        int slot = find(END, ticketId);
        return slot < 0 ? null : END_REASONS[(int) slots[slot * STRIDE + VALUE]];
    }

    /** Remembered operations plus recent ends. */
    int size() {
        return memos + ends;
    }

    // ---- writes ----

    /** @param ticketLive whether {@code opId} is the id of a ticket that waits or holds a lease */
    void remember(String opId, Result result, long forgetAt, boolean ticketLive) {
        int slot = slot(MEMO, opId);
        int form;
        long value = 0;
        Object ref = null;
        if (result instanceof Result.Queued q) {
            form = AS_ARRIVAL;
            value = q.arrival();
        } else if (result instanceof Result.Granted g) {
            form = AS_LEASE;
            ref = g.lease();
        } else if (result instanceof Result.Released r) {
            form = AS_RELEASED;
            value = r.held() ? 1 : 0;
        } else if (result instanceof Result.Refused r) {
            form = AS_REFUSED;
            value = r.reason().ordinal();
        } else if (result instanceof Result.Cancelled c) {
            form = AS_CANCELLED;
            value = c.effect().ordinal();
        } else {
            form = AS_RESULT;
            ref = canonical(result);
        }
        slots[slot * STRIDE + VALUE] = value;
        refs[slot] = ref;
        setFlags(slot, form, ticketLive);
        schedule(slot, forgetAt);
    }

    /**
     * Keeps a remembered operation until {@code forgetAt} instead, and records whether its id is a ticket that
     * waits or holds a lease; nothing if it is not remembered.
     */
    void keep(String opId, long forgetAt, boolean ticketLive) {
        int slot = find(MEMO, opId);
        if (slot < 0) return;
        setFlags(slot, form(slot), ticketLive);
        schedule(slot, forgetAt);
    }

    void ended(String ticketId, EndReason reason, long forgetAt) {
        int slot = slot(END, ticketId);
        slots[slot * STRIDE + VALUE] = reason.ordinal();
        schedule(slot, forgetAt);
    }

    void forgetEnd(String ticketId) {
        int slot = find(END, ticketId);
        if (slot >= 0) free(slot);
    }

    /** Records whether {@code ticketId} now waits or holds a lease, for a memo under that id. */
    void ticketLive(String ticketId, boolean ticketLive) {
        int slot = find(MEMO, ticketId);
        if (slot >= 0) setFlags(slot, form(slot), ticketLive);
    }

    /**
     * Forgets, in forget-queue order, what is due by {@code now}; an operation whose id is a ticket that waits
     * or holds a lease is kept until {@code now + keepFor} instead.
     */
    void forgetDue(long now, long keepFor) {
        while (head < tail && ringAt[ringIndex(head)] <= now) {
            long seq = head++;
            int slot = ringSlot[ringIndex(seq)];
            if (!current(slot, seq)) continue;
            if (kind(slot) == MEMO && live(slot)) {
                schedule(slot, now + keepFor);
            } else {
                free(slot);
            }
        }
    }

    // ---- wire form ----

    /** Entries (kind, key, result or reason), then the forget queue (time, entry number + 1 or 0 if stale). */
    void writeTo(DataOutput out) throws IOException {
        int[] numbers = new int[slotsUsed];
        WireFormat.writeCount(out, memos + ends);
        int n = 0;
        for (int slot = 0; slot < slotsUsed; slot++) {
            if (kind(slot) == FREE) continue;
            numbers[slot] = ++n;
            out.writeByte(kind(slot));
            String key = key(slot);
            WireFormat.writeString(out, key);
            if (kind(slot) == MEMO) {
                WireFormat.writeResult(out, result(key));
            } else {
                WireFormat.writeEndReason(out, END_REASONS[(int) slots[slot * STRIDE + VALUE]]);
            }
        }
        WireFormat.writeCount(out, (int) (tail - head));
        for (long seq = head; seq < tail; seq++) {
            int slot = ringSlot[ringIndex(seq)];
            WireFormat.writeVarLong(out, ringAt[ringIndex(seq)]);
            WireFormat.writeCount(out, current(slot, seq) ? numbers[slot] : 0);
        }
    }

    /** Reads what {@link #writeTo} wrote into this empty memo; {@code ticketLive} as in {@link #remember}. */
    void readFrom(DataInput in, Predicate<String> ticketLive) throws IOException {
        int count = WireFormat.readCount(in, "remembered operations and ends");
        int[] slotOf = new int[Math.min(count, 1_024)];
        for (int i = 0; i < count; i++) {
            int kind = in.readByte();
            if (kind != MEMO && kind != END) throw new StreamCorruptedException("expected a memo kind, found " + kind);
            String key = WireFormat.readString(in, kind == MEMO ? "an operation id" : "an ended ticket id");
            if (kind == MEMO) {
                remember(key, WireFormat.readResult(in), 0, ticketLive.test(key));
            } else {
                ended(key, WireFormat.readEndReason(in), 0);
            }
            if (i == slotOf.length) slotOf = Arrays.copyOf(slotOf, slotOf.length * 2);
            slotOf[i] = find(kind, key);
        }
        // remember and ended queued a position each; the forget queue read next replaces them.
        head = tail = 0;
        for (int i = 0; i < count; i++) slots[slotOf[i] * STRIDE + POSITION] = -1;
        int queued = WireFormat.readCount(in, "the forget queue");
        for (int i = 0; i < queued; i++) {
            long at = WireFormat.readVarLong(in);
            int number = WireFormat.readCount(in, "a forget queue entry");
            if (number > count) throw new StreamCorruptedException("forget queue entry " + number + " of " + count);
            if (number == 0) {
                append(-1, at);
            } else {
                schedule(slotOf[number - 1], at);
            }
        }
    }

    // ---- slot fields ----

    private int hashOf(int slot) {
        return (int) (slots[slot * STRIDE + INFO] >>> 32);
    }

    private int kind(int slot) {
        return (int) (slots[slot * STRIDE + INFO] >>> 16) & 0xFF;
    }

    private int form(int slot) {
        return (int) (slots[slot * STRIDE + INFO] >>> 8) & 0xFF;
    }

    private boolean live(int slot) {
        return (slots[slot * STRIDE + INFO] & 1) != 0;
    }

    private void setInfo(int slot, int hash, int kind, int form, boolean live) {
        slots[slot * STRIDE + INFO] = (long) hash << 32 | (long) kind << 16 | (long) form << 8 | (live ? 1 : 0);
    }

    private void setFlags(int slot, int form, boolean live) {
        setInfo(slot, hashOf(slot), kind(slot), form, live);
    }

    // ---- ring ----

    /** Whether ring position {@code seq} (naming {@code slot}) is the one that forgets a live entry. */
    private boolean current(int slot, long seq) {
        return slot >= 0 && kind(slot) != FREE && slots[slot * STRIDE + POSITION] == seq;
    }

    private void schedule(int slot, long at) {
        slots[slot * STRIDE + POSITION] = tail;
        append(slot, at);
    }

    /** A stale position (slot -1) keeps its place in the queue, as a forgotten entry's did. */
    private void append(int slot, long at) {
        if (tail - head == ringAt.length) growRing();
        int i = ringIndex(tail++);
        ringAt[i] = at;
        ringSlot[i] = slot;
    }

    private int ringIndex(long seq) {
        return (int) seq & (ringAt.length - 1);
    }

    private void growRing() {
        long[] at = new long[ringAt.length * 2];
        int[] slot = new int[at.length];
        for (long seq = head; seq < tail; seq++) {
            at[(int) seq & (at.length - 1)] = ringAt[ringIndex(seq)];
            slot[(int) seq & (at.length - 1)] = ringSlot[ringIndex(seq)];
        }
        ringAt = at;
        ringSlot = slot;
    }

    // ---- table and slots ----

    /**
     * Entries about one ticket lie on one cache line, as the commands that touch one touch the others (each a cache
     * miss in a table of a second's operations): its enqueue's memo and its end differ in the lowest bit, and the
     * memo of a release of a lease the store granted it ({@code release:<ticket>@<commit>}) or of its cancel
     * ({@code cancel:<ticket>}) hashes as the ticket's id with the next bit, or both, flipped. A release then finds its
     * ticket's memo, which it keeps, on the line it probed, and the two are forgotten together, as are a cancel and
     * the ticket's end. Any other key hashes as itself.
     */
    private static int hash(int kind, String key) {
        int base;
        int neighbour;
        if (kind == END) {
            base = key.hashCode();
            neighbour = 1;
        } else if (key.startsWith(Command.Release.OP_ID_PREFIX)
                && key.lastIndexOf(Lease.ID_SEPARATOR) > Command.Release.OP_ID_PREFIX.length()) {
            base = hashOfPart(key, Command.Release.OP_ID_PREFIX.length(), key.lastIndexOf(Lease.ID_SEPARATOR));
            neighbour = 2;
        } else if (key.startsWith(Command.Cancel.OP_ID_PREFIX)) {
            base = hashOfPart(key, Command.Cancel.OP_ID_PREFIX.length(), key.length());
            neighbour = 3;
        } else {
            base = key.hashCode();
            neighbour = 0;
        }
        int h = base * 0x9E3779B9;
        h ^= h >>> 16;
        return h ^ neighbour;
    }

    /** {@code key.substring(from, to).hashCode()}, without the substring. */
    private static int hashOfPart(String key, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + key.charAt(i);
        return h;
    }

    private int find(int kind, String key) {
        return find(kind, key, hash(kind, key));
    }

    private int find(int kind, String key, int h) {
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long bucket = table[i];
            if (bucket == 0) return -1;
            int slot = (int) bucket - 1;
            if ((int) (bucket >>> 32) == h && kind(slot) == kind && keyMatches(slot, key)) return slot;
        }
    }

    /** The slot of an entry, new (and counted) if there was none. */
    private int slot(int kind, String key) {
        int h = hash(kind, key);
        int existing = find(kind, key, h);
        if (existing >= 0) return existing;
        if ((memos + ends + 1) * 2 > table.length) rehash(table.length * 2);
        int slot = freeCount > 0 ? freeSlots[--freeCount] : newSlot();
        storeKey(slot, key);
        setInfo(slot, h, kind, AS_RESULT, false);
        slots[slot * STRIDE + POSITION] = -1;
        int mask = table.length - 1;
        int i = h & mask;
        while (table[i] != 0) i = (i + 1) & mask;
        table[i] = bucket(h, slot);
        if (kind == MEMO) memos++;
        else ends++;
        return slot;
    }

    private int newSlot() {
        if (slotsUsed == refs.length) {
            int size = refs.length * 2;
            slots = Arrays.copyOf(slots, size * STRIDE);
            refs = Arrays.copyOf(refs, size);
            wideKeys = Arrays.copyOf(wideKeys, size);
            freeSlots = Arrays.copyOf(freeSlots, size);
        }
        return slotsUsed++;
    }

    private void free(int slot) {
        int mask = table.length - 1;
        int i = hashOf(slot) & mask;
        while ((int) table[i] != slot + 1) i = (i + 1) & mask;
        // Backward-shift deletion: later entries of the probe run move up, so no tombstones are needed.
        for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = (int) (table[j] >>> 32) & mask;
            boolean movable = i <= j ? home <= i || home > j : home <= i && home > j;
            if (movable) {
                table[i] = table[j];
                i = j;
            }
        }
        table[i] = 0;
        if (kind(slot) == MEMO) memos--;
        else ends--;
        int keyAt = keyAt(slot);
        if (keyAt >= 0) arenaLive -= keyLength(slot);
        setInfo(slot, 0, FREE, AS_RESULT, false);
        slots[slot * STRIDE + POSITION] = -1;
        refs[slot] = null;
        wideKeys[slot] = null;
        freeSlots[freeCount++] = slot;
    }

    private void rehash(int size) {
        long[] fresh = new long[size];
        int mask = size - 1;
        for (int slot = 0; slot < slotsUsed; slot++) {
            if (kind(slot) == FREE) continue;
            int i = hashOf(slot) & mask;
            while (fresh[i] != 0) i = (i + 1) & mask;
            fresh[i] = bucket(hashOf(slot), slot);
        }
        table = fresh;
    }

    private static long bucket(int hash, int slot) {
        return (long) hash << 32 | (slot + 1);
    }

    // ---- keys ----

    /** Where the slot's key starts in the arena, or -1 for a wide key (in {@code wideKeys}). */
    private int keyAt(int slot) {
        return (int) (slots[slot * STRIDE + KEY] >> 32);
    }

    private int keyLength(int slot) {
        return (int) slots[slot * STRIDE + KEY];
    }

    private void setKey(int slot, int at, int length) {
        slots[slot * STRIDE + KEY] = (long) at << 32 | (length & 0xFFFFFFFFL);
    }

    private void storeKey(int slot, String key) {
        int length = key.length();
        if (arena.length - arenaEnd < length) makeRoom(length);
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c > 0xFF) {
                setKey(slot, -1, length);
                wideKeys[slot] = key;
                return;
            }
            arena[arenaEnd + i] = (byte) c;
        }
        setKey(slot, arenaEnd, length);
        arenaEnd += length;
        arenaLive += length;
    }

    private boolean keyMatches(int slot, String key) {
        int at = keyAt(slot);
        if (at < 0) return key.equals(wideKeys[slot]);
        int length = keyLength(slot);
        if (key.length() != length) return false;
        for (int i = 0; i < length; i++) {
            if ((arena[at + i] & 0xFF) != key.charAt(i)) return false;
        }
        return true;
    }

    /** The key as a string (a new one unless it is wide): for the wire form, not for the hot path. */
    private String key(int slot) {
        int at = keyAt(slot);
        return at < 0 ? wideKeys[slot] : new String(arena, at, keyLength(slot), StandardCharsets.ISO_8859_1);
    }

    /** Moves the live keys to the front of an arena with room for {@code length} more bytes, grown if need be. */
    private void makeRoom(int length) {
        int size = arena.length;
        while ((arenaLive + length) * 2L > size) size *= 2;
        byte[] fresh = spareArena != null && spareArena.length == size ? spareArena : new byte[size];
        int end = 0;
        for (int slot = 0; slot < slotsUsed; slot++) {
            if (kind(slot) == FREE || keyAt(slot) < 0) continue;
            System.arraycopy(arena, keyAt(slot), fresh, end, keyLength(slot));
            setKey(slot, end, keyLength(slot));
            end += keyLength(slot);
        }
        // The old arena is kept for the next compaction if it has the size that one will need.
        spareArena = arena.length == size ? arena : null;
        arena = fresh;
        arenaEnd = end;
    }
}
