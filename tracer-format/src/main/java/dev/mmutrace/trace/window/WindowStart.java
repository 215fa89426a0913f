package dev.mmutrace.trace.window;

/**
 * The number of a window's first event, once the reader has met it. The reader learns it while
 * reading (a time bound says nothing of numbers) and the replay's analyzers read it, on whichever
 * thread replays the models; it is set once, before the reader hands out that event, so anyone
 * holding an event of the window sees it set.
 */
public final class WindowStart {
    private volatile long index = -1;

    /** The start of a run over the whole trace: event 0. */
    public static WindowStart whole() {
        WindowStart s = new WindowStart();
        s.set(0);
        return s;
    }

    void set(long first) {
        if (index >= 0) {
            throw new IllegalStateException("the window's start was set twice: " + index + ", " + first);
        }
        index = first;
    }

    public boolean known() {
        return index >= 0;
    }

    /** The first event's number; only once the reader has met it. */
    public long index() {
        long i = index;
        if (i < 0) {
            throw new IllegalStateException("the window's start is not known yet");
        }
        return i;
    }

    /**
     * Whether event number {@code event} is outside the window because it comes before it: true
     * while the start is not known (the reader has not reached the window yet).
     */
    public boolean before(long event) {
        long i = index;
        return i < 0 || event < i;
    }
}
