package io.vblk.scheduler;

/**
 * dm-ioband's "weight" policy (2008) as far as it decides who is dispatched next; flows are its groups.
 * <ul>
 * <li>Each group gets initial = round(tokenBase * weight / sum of weights) tokens per epoch.</li>
 * <li>tokenBase = max(2 * io-limit, ceil(8 * sum / min weight)), times what a 4 KiB read costs ({@link CostModel#unit()}).</li>
 * <li>(2 * io-limit is dm-ioband's bucket; the second term gives the lightest group at least 8 requests.)</li>
 * <li>A dispatch charges its {@link CostModel} cost: per request, per 512-byte sector or linear; tokens may go negative.</li>
 * <li>next() serves, among groups with queued tickets and tokens > 0, the largest tokens / initial (ties: lower index).</li>
 * <li>All queued groups spent: hold back (null) if another group with tokens has tickets dispatched and the dispatched total >= io-throttle.</li>
 * <li>Otherwise a new epoch: each group gets initial more tokens, at most 2 * initial, debt kept; then pick again.</li>
 * <li>io-limit: a group with io-limit tickets queued here admits no more.</li>
 * </ul>
 * The hold-back is what lets weights act on one-at-a-time issuers; with two of them and io-throttle 4 it never
 * triggers and they share 50/50. A holder counts only while its ticket is dispatched: a decision taken between
 * its completion and its next submission starts a new epoch. Not work-conserving while it holds back.
 * Epochs reach a group lazily, so each call is O(log groups) plus, at an epoch change, O(1) per spent group.
 */
public final class IobandPolicy implements Policy {
    /** Fewest requests' worth of tokens a group gets per epoch, so that weights stay resolvable. */
    private static final int MIN_GROUP_REQUESTS = 8;

    private final long[] initial;
    private final int ioThrottle;
    private final int ioLimit;
    private final CostModel cost;
    private final FlowQueues queues;
    private final int[] dispatchedNow;
    // tokens[g] as of epoch seen[g]; k epochs later the group has min(tokens + k * initial, 2 * initial)
    private final long[] tokens;
    private final long[] seen;
    private long epoch;
    // holds exactly the groups with queued tickets and tokens > 0, keyed by -tokens / initial
    private final FlowHeap eligible;
    // spent[0..spentCount) lists exactly the groups with tokens <= 0; they are always current (seen == epoch)
    private final int[] spent;
    private int spentCount;
    // number of groups with tickets dispatched and tokens > 0
    private int holders;

    public IobandPolicy(int[] weights, int ioThrottle, int ioLimit, CostModel cost) {
        Policies.requirePositive(weights);
        if (ioThrottle < 1 || ioLimit < 1) {
            throw new IllegalArgumentException("io-throttle and io-limit must be at least 1");
        }
        int n = weights.length;
        this.ioThrottle = ioThrottle;
        this.ioLimit = ioLimit;
        this.cost = cost;
        this.initial = initialTokens(weights, ioLimit, cost);
        this.tokens = initial.clone();
        this.seen = new long[n];
        this.queues = new FlowQueues(n);
        this.dispatchedNow = new int[n];
        this.eligible = new FlowHeap(n);
        this.spent = new int[n];
    }

    static long[] initialTokens(int[] weights, int ioLimit, CostModel cost) {
        long sum = 0;
        int min = Integer.MAX_VALUE;
        for (int w : weights) {
            sum += w;
            min = Math.min(min, w);
        }
        long unit = cost.unit();
        long base = unit * Math.max(2L * ioLimit, (MIN_GROUP_REQUESTS * sum + min - 1) / min);
        long[] initial = new long[weights.length];
        for (int g = 0; g < weights.length; g++) {
            initial[g] = Math.round((double) base * weights[g] / sum);
        }
        return initial;
    }

    @Override
    public void enqueue(Ticket t, long now) {
        int g = t.flow;
        if (queues.add(t)) {
            catchUp(g);
            if (tokens[g] > 0) {
                eligible.insert(g, key(g));
            }
        }
    }

    @Override
    public Ticket next(long now, int dispatchedNow) {
        for (;;) {
            int g = eligible.peek();
            if (g >= 0) {
                return dispatch(g);
            }
            if (queues.total() == 0) {
                return null;
            }
            // every group with queued tickets is out of tokens, so each holder is another group
            if (holders > 0 && dispatchedNow >= ioThrottle) {
                return null;
            }
            newEpoch();
        }
    }

    @Override
    public void completed(Ticket t, long now) {
        int g = t.flow;
        dispatchedNow[g]--;
        if (dispatchedNow[g] == 0 && tokens[g] > 0) {
            holders--;
        }
    }

    @Override
    public int queued(int flow) {
        return queues.size(flow);
    }

    @Override
    public boolean admits(int flow) {
        return queues.size(flow) < ioLimit;
    }

    // g is eligible, hence current and holding tokens
    private Ticket dispatch(int g) {
        Ticket t = queues.poll(g);
        boolean wasHolder = dispatchedNow[g] > 0;
        dispatchedNow[g]++;
        tokens[g] -= cost.of(t);
        if (tokens[g] > 0) {
            if (!wasHolder) {
                holders++;
            }
            if (queues.size(g) > 0) {
                eligible.update(g, key(g));
            } else {
                eligible.remove(g);
            }
        } else {
            if (wasHolder) {
                holders--;
            }
            eligible.remove(g);
            spent[spentCount++] = g;
        }
        return t;
    }

    // only spent groups need the new tokens now; the others catch up when they next get a ticket
    private void newEpoch() {
        epoch++;
        for (int i = spentCount - 1; i >= 0; i--) {
            int g = spent[i];
            tokens[g] += initial[g];
            seen[g] = epoch;
            if (tokens[g] > 0) {
                spent[i] = spent[--spentCount];
                if (dispatchedNow[g] > 0) {
                    holders++;
                }
                if (queues.size(g) > 0) {
                    eligible.insert(g, key(g));
                }
            }
        }
    }

    // a group with tokens > 0 that missed k epochs; two epochs already reach the 2 * initial cap
    private void catchUp(int g) {
        long k = epoch - seen[g];
        if (k > 0) {
            tokens[g] = Math.min(tokens[g] + Math.min(k, 2) * initial[g], 2 * initial[g]);
            seen[g] = epoch;
        }
    }

    private double key(int g) {
        return -(double) tokens[g] / initial[g];
    }
}
