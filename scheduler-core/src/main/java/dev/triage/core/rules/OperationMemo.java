package dev.triage.core.rules;

import dev.triage.core.EndReason;
import dev.triage.core.Lease;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Result;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A group's memory of operation ids (each one's first result) and of recently ended tickets (why they ended),
 * each until its forget time. Flat arrays, not a map of small records: a lease bound's worth of commands is
 * hundreds of thousands of entries, which as objects (even just their id strings) outlive the young generation
 * and cost most of the GC time.
 *
 * <p>The entries form a log in the order their forget times were set, the group's forget queue: each takes four
 * longs (forget time, value, hash and flags, key location), so that touching an entry reads one cache line, and
 * forgetting walks the log from its head, reading memory in order. An entry kept longer moves to the log's tail
 * and leaves a hole with its old forget time, as a re-kept entry's older place in a queue would. An
 * open-addressing table finds an entry by kind and key. Keys are copied into a byte arena as Latin-1 (a rare wider
 * key is kept as its string). Whether a memo's key is a ticket that waits or holds a lease is a flag, set by the
 * group state as tickets come and go, so forgetting needs no key string.
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

    /** The longs of an entry: its forget time, its value, its hash and flags, where its key is. */
    private static final int STRIDE = 4;
    private static final int AT = 0;
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

    /** The log, a ring of positions {@code head} (inclusive) to {@code tail}; a position's index is {@link #index}. */
    private long[] entries = new long[16 * STRIDE];
    /** A granted lease or an unusual result; a key with a character above U+00FF. Both rare, so apart. */
    private Object[] refs = new Object[16];
    private String[] wideKeys = new String[16];
    private long head;
    private long tail;
    private int memos;
    private int ends;

    /**
     * Per bucket, the entry's hash in the high half and the low half of its position in the log (0: empty), so that
     * a probe reads no entry until the hash matches; linear probing, at most half full. A bucket whose position the
     * head passed is stale: forgetting at the head leaves the bucket, as taking it out would be a cache miss there
     * (a random line of a table of a second's operations), and the sweep takes it out reading the table in order.
     */
    private long[] table = new long[32];
    /** Buckets of entries the head passed, left for {@link #sweep} (or an insert on its way) to take out. */
    private int stale;
    private int sweepAt;

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
        long value = entries[slot * STRIDE + VALUE];
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
        return slot < 0 ? null : END_REASONS[(int) entries[slot * STRIDE + VALUE]];
    }

    /** Remembered operations plus recent ends. */
    int size() {
        return memos + ends;
    }

    // ---- writes ----

    /** @param ticketLive whether {@code opId} is the id of a ticket that waits or holds a lease */
    void remember(String opId, Result result, long forgetAt, boolean ticketLive) {
        int slot = placeAtTail(MEMO, opId, forgetAt);
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
        entries[slot * STRIDE + VALUE] = value;
        refs[slot] = ref;
        setFlags(slot, form, ticketLive);
    }

    /**
     * Keeps a remembered operation until {@code forgetAt} instead, and records whether its id is a ticket that
     * waits or holds a lease; nothing if it is not remembered.
     */
    void keep(String opId, long forgetAt, boolean ticketLive) {
        ensureLogRoom();
        int slot = find(MEMO, opId);
        if (slot < 0) return;
        slot = moveToTail(slot, forgetAt);
        setFlags(slot, form(slot), ticketLive);
    }

    void ended(String ticketId, EndReason reason, long forgetAt) {
        int slot = placeAtTail(END, ticketId, forgetAt);
        entries[slot * STRIDE + VALUE] = reason.ordinal();
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
        while (head < tail && entries[index(head) * STRIDE + AT] <= now) {
            ensureLogRoom();
            int slot = index(head);
            if (kind(slot) == FREE) {
                head++;
            } else if (kind(slot) == MEMO && live(slot)) {
                // Moved before the head passes it, so that the move's room was made with it in the log.
                moveToTail(slot, now + keepFor);
                head++;
            } else {
                drop(slot);
                stale++;
                head++;
            }
            sweep();
        }
    }

    // ---- wire form ----

    /** Entries (kind, key, result or reason), then the forget queue (time, entry number + 1 or 0 for a hole). */
    void writeTo(DataOutput out) throws IOException {
        int[] numbers = new int[(int) (tail - head)];
        WireFormat.writeCount(out, memos + ends);
        int n = 0;
        for (long seq = head; seq < tail; seq++) {
            int slot = index(seq);
            if (kind(slot) == FREE) continue;
            numbers[(int) (seq - head)] = ++n;
            out.writeByte(kind(slot));
            String key = key(slot);
            WireFormat.writeString(out, key);
            if (kind(slot) == MEMO) {
                WireFormat.writeResult(out, result(key));
            } else {
                WireFormat.writeEndReason(out, END_REASONS[(int) entries[slot * STRIDE + VALUE]]);
            }
        }
        WireFormat.writeCount(out, (int) (tail - head));
        for (long seq = head; seq < tail; seq++) {
            WireFormat.writeVarLong(out, entries[index(seq) * STRIDE + AT]);
            WireFormat.writeCount(out, numbers[(int) (seq - head)]);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote into this empty memo; {@code ticketLive} as in {@link #remember}. Each entry
     * takes its place in the log where the forget queue names it, which it does once.
     */
    void readFrom(DataInput in, Predicate<String> ticketLive) throws IOException {
        int count = WireFormat.readCount(in, "remembered operations and ends");
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = in.readByte();
            if (kind != MEMO && kind != END) throw new StreamCorruptedException("expected a memo kind, found " + kind);
            keys.add(WireFormat.readString(in, kind == MEMO ? "an operation id" : "an ended ticket id"));
            values.add(kind == MEMO ? WireFormat.readResult(in) : WireFormat.readEndReason(in));
        }
        boolean[] placed = new boolean[count];
        int queued = WireFormat.readCount(in, "the forget queue");
        for (int i = 0; i < queued; i++) {
            long at = WireFormat.readVarLong(in);
            int number = WireFormat.readCount(in, "a forget queue entry");
            if (number > count) throw new StreamCorruptedException("forget queue entry " + number + " of " + count);
            if (number == 0) {
                appendHole(at);
                continue;
            }
            if (placed[number - 1]) {
                throw new StreamCorruptedException("entry " + number + " is in the forget queue twice");
            }
            placed[number - 1] = true;
            String key = keys.get(number - 1);
            if (values.get(number - 1) instanceof EndReason reason) {
                if (find(END, key) >= 0) throw new StreamCorruptedException("ended ticket " + key + " twice");
                ended(key, reason, at);
            } else {
                if (find(MEMO, key) >= 0) throw new StreamCorruptedException("operation " + key + " twice");
                remember(key, (Result) values.get(number - 1), at, ticketLive.test(key));
            }
        }
        for (int i = 0; i < count; i++) {
            if (!placed[i]) throw new StreamCorruptedException("entry " + (i + 1) + " is not in the forget queue");
        }
    }

    // ---- entry fields ----

    private int hashOf(int slot) {
        return (int) (entries[slot * STRIDE + INFO] >>> 32);
    }

    private int kind(int slot) {
        return (int) (entries[slot * STRIDE + INFO] >>> 16) & 0xFF;
    }

    private int form(int slot) {
        return (int) (entries[slot * STRIDE + INFO] >>> 8) & 0xFF;
    }

    private boolean live(int slot) {
        return (entries[slot * STRIDE + INFO] & 1) != 0;
    }

    /**
     * Whether the entry may have an object in {@code refs}. Only such entries (and wide keys) touch the side arrays,
     * which in a large memo is a cache miss each; a free position holds nothing there.
     */
    private boolean holdsRef(int slot) {
        int form = form(slot);
        return kind(slot) == MEMO && (form == AS_LEASE || form == AS_RESULT);
    }

    private void setInfo(int slot, int hash, int kind, int form, boolean live) {
        entries[slot * STRIDE + INFO] = (long) hash << 32 | (long) kind << 16 | (long) form << 8 | (live ? 1 : 0);
    }

    private void setFlags(int slot, int form, boolean live) {
        setInfo(slot, hashOf(slot), kind(slot), form, live);
    }

    // ---- log ----

    private int index(long seq) {
        return (int) seq & (refs.length - 1);
    }

    /** Grows the log if it is full, so that the next move or append has a position (indexes change, not positions). */
    private void ensureLogRoom() {
        if (tail - head < refs.length) return;
        int size = refs.length * 2;
        long[] freshEntries = new long[size * STRIDE];
        Object[] freshRefs = new Object[size];
        String[] freshWide = new String[size];
        for (long seq = head; seq < tail; seq++) {
            int from = index(seq);
            int to = (int) seq & (size - 1);
            System.arraycopy(entries, from * STRIDE, freshEntries, to * STRIDE, STRIDE);
            freshRefs[to] = refs[from];
            freshWide[to] = wideKeys[from];
        }
        entries = freshEntries;
        refs = freshRefs;
        wideKeys = freshWide;
    }

    /** The entry of {@code kind} and {@code key}, moved to the log's tail or new there, forgotten at {@code at}. */
    private int placeAtTail(int kind, String key, long at) {
        ensureLogRoom();
        int h = hash(kind, key);
        int existing = find(kind, key, h);
        return existing >= 0 ? moveToTail(existing, at) : append(kind, key, h, at);
    }

    /** Moves an entry to the tail, to be forgotten at {@code at}; its old place becomes a hole with its old time. */
    private int moveToTail(int slot, long at) {
        long seq = tail++;
        int moved = index(seq);
        System.arraycopy(entries, slot * STRIDE, entries, moved * STRIDE, STRIDE);
        entries[moved * STRIDE + AT] = at;
        if (holdsRef(slot)) {
            refs[moved] = refs[slot];
            refs[slot] = null;
        }
        if (keyAt(slot) < 0) {
            wideKeys[moved] = wideKeys[slot];
            wideKeys[slot] = null;
        }
        table[bucketOf(slot)] = bucket(hashOf(slot), seq);
        setInfo(slot, 0, FREE, AS_RESULT, false);
        return moved;
    }

    private int append(int kind, String key, int h, long at) {
        if ((memos + ends + stale + 1) * 2 > table.length) rehash(table.length * 2);
        long seq = tail;
        int slot = index(seq);
        // Stored before the entry joins the log: an arena compaction on the way walks the log.
        storeKey(slot, key);
        tail++;
        entries[slot * STRIDE + AT] = at;
        entries[slot * STRIDE + VALUE] = 0;
        setInfo(slot, h, kind, AS_RESULT, false);
        int mask = table.length - 1;
        int i = h & mask;
        while (table[i] != 0 && !stale(table[i])) i = (i + 1) & mask;
        if (table[i] != 0) stale--;
        table[i] = bucket(h, seq);
        if (kind == MEMO) memos++;
        else ends++;
        return slot;
    }

    /** A forgotten entry's place in a queue that was read: a hole with its time. */
    private void appendHole(long at) {
        ensureLogRoom();
        int slot = index(tail++);
        entries[slot * STRIDE + AT] = at;
        setInfo(slot, 0, FREE, AS_RESULT, false);
    }

    // ---- table ----

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
        // The top bit set, so that no bucket is 0.
        return h ^ neighbour | Integer.MIN_VALUE;
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
            if ((int) (bucket >>> 32) != h || stale(bucket)) continue;
            int slot = index((int) bucket);
            if (kind(slot) == kind && keyMatches(slot, key)) return slot;
        }
    }

    /** Forgets an entry: out of the table, and a hole in the log (keeping its time). */
    private void free(int slot) {
        removeBucket(bucketOf(slot));
        drop(slot);
    }

    /** Forgets an entry but for its bucket. */
    private void drop(int slot) {
        if (kind(slot) == MEMO) memos--;
        else ends--;
        if (keyAt(slot) >= 0) arenaLive -= keyLength(slot);
        else wideKeys[slot] = null;
        if (holdsRef(slot)) refs[slot] = null;
        setInfo(slot, 0, FREE, AS_RESULT, false);
    }

    /** Whether the bucket's position is behind the head. */
    private boolean stale(long bucket) {
        return (int) bucket - (int) head < 0;
    }

    /**
     * Takes out a few stale buckets per position the head passes, reading the table in order. It goes round the
     * table within a third of its size in positions, well within the 2^31 that a bucket's low half tells apart.
     */
    private void sweep() {
        for (int n = 0; n < 4 && stale > 0; n++) {
            int i = sweepAt & (table.length - 1);
            if (table[i] != 0 && stale(table[i])) {
                removeBucket(i);
                stale--;
            } else {
                sweepAt++;
            }
        }
    }

    /** The table index of a live entry's bucket. */
    private int bucketOf(int slot) {
        int position = (int) (head + ((slot - index(head)) & (refs.length - 1)));
        int mask = table.length - 1;
        int i = hashOf(slot) & mask;
        while ((int) table[i] != position) i = (i + 1) & mask;
        return i;
    }

    private void removeBucket(int i) {
        int mask = table.length - 1;
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
    }

    private void rehash(int size) {
        long[] fresh = new long[size];
        int mask = size - 1;
        for (long seq = head; seq < tail; seq++) {
            int slot = index(seq);
            if (kind(slot) == FREE) continue;
            int i = hashOf(slot) & mask;
            while (fresh[i] != 0) i = (i + 1) & mask;
            fresh[i] = bucket(hashOf(slot), seq);
        }
        table = fresh;
        stale = 0;
    }

    private static long bucket(int hash, long seq) {
        return (long) hash << 32 | (seq & 0xFFFFFFFFL);
    }

    // ---- keys ----

    /** Where the slot's key starts in the arena, or -1 for a wide key (in {@code wideKeys}). */
    private int keyAt(int slot) {
        return (int) (entries[slot * STRIDE + KEY] >> 32);
    }

    private int keyLength(int slot) {
        return (int) entries[slot * STRIDE + KEY];
    }

    private void setKey(int slot, int at, int length) {
        entries[slot * STRIDE + KEY] = (long) at << 32 | (length & 0xFFFFFFFFL);
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
        for (long seq = head; seq < tail; seq++) {
            int slot = index(seq);
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
