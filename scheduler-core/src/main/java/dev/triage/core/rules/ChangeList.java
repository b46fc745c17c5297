package dev.triage.core.rules;

import dev.triage.core.spi.Outcome;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The changes of one command, appended while the rules run and then handed to its {@link Outcome} as they are:
 * read-only from outside the package, so the outcome need not copy them (the only public part is reading). The first three are fields, as most
 * commands make no more, so a command's list is one object.
 */
public final class ChangeList extends AbstractList<Change> implements RandomAccess {

    private Change first;
    private Change second;
    private Change third;
    private Change[] more;
    private int size;
    private boolean done;

    void append(Change change) {
        if (done) throw new IllegalStateException("the changes were handed over");
        switch (size) {
            case 0 -> first = change;
            case 1 -> second = change;
            case 2 -> third = change;
            default -> {
                if (more == null) more = new Change[4];
                if (size - 3 == more.length) more = Arrays.copyOf(more, more.length * 2);
                more[size - 3] = change;
            }
        }
        size++;
    }

    /** Ends appending: from now on the list never changes. */
    ChangeList done() {
        done = true;
        return this;
    }

    /** Whether the rules finished it: then nothing can change it and an outcome may keep it as it is. */
    public boolean isDone() {
        return done;
    }

    @Override
    public final Change get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("index " + index + " of " + size);
        return switch (index) {
            case 0 -> first;
            case 1 -> second;
            case 2 -> third;
            default -> more[index - 3];
        };
    }

    @Override
    public final int size() {
        return size;
    }
}
