package io.vblk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever bytes arrive, in whatever chunks, the decoder either produces frames or fails with a
 * {@link ProtocolException}; it never throws anything else and never leaks a buffer.
 */
@net.jqwik.api.lifecycle.AddLifecycleHook(io.vblk.testing.LeakCheck.Jqwik.class)
class FrameDecoderProperties {
    private static final int MAX_DATA = 1024;
    private static final int MAX_BODY = FrameCodec.REQUEST_HEADER_BYTES + MAX_DATA;

    /** A frame to build; a recipe rather than a frame so that generated values hold no buffer that could leak. */
    record Sample(String label, Function<ByteBufAllocator, Frame> make) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** What feeding a stream produced: the frames in order, and the rejection if there was one. */
    record Outcome(List<Frame> frames, ProtocolException rejection) {}

    // ---- properties ----

    @Property(tries = 2000)
    void validFramesDecodeToThemselvesWhateverTheChunking(
            @ForAll("streams") List<Sample> samples, @ForAll("chunkSizes") List<Integer> chunks) {
        TrackingAllocator alloc = new TrackingAllocator();
        List<Frame> expected = samples.stream().map(s -> s.make().apply(alloc)).toList();

        Outcome outcome = decode(alloc, wireOf(alloc, samples), chunks);

        assertThat(outcome.rejection()).isNull();
        assertThat(outcome.frames()).containsExactlyElementsOf(expected);
        Wire.release(outcome.frames());
        Wire.release(expected);
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Property(tries = 2000)
    void mutatedFramesDecodeOrFailWithAProtocolError(
            @ForAll("streams") List<Sample> samples,
            @ForAll("mutations") List<Tuple2<Integer, Byte>> mutations,
            @ForAll("chunkSizes") List<Integer> chunks) {
        TrackingAllocator alloc = new TrackingAllocator();
        byte[] wire = wireOf(alloc, samples);
        for (Tuple2<Integer, Byte> m : mutations) {
            wire[m.get1() % wire.length] = m.get2();
        }

        checkOnlyProtocolErrors(alloc, wire, chunks);
    }

    @Property(tries = 2000)
    void streamsWithBytesCutOutDecodeOrFailWithAProtocolError(
            @ForAll("streams") List<Sample> samples,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int from,
            @ForAll @IntRange(min = 1, max = 2 * MAX_BODY) int length,
            @ForAll("chunkSizes") List<Integer> chunks) {
        TrackingAllocator alloc = new TrackingAllocator();
        byte[] wire = wireOf(alloc, samples);
        // cutting from the middle leaves later frames misaligned; cutting the tail leaves a partial frame
        int start = from % wire.length;
        int end = Math.min(wire.length, start + length);
        byte[] cut = new byte[wire.length - (end - start)];
        System.arraycopy(wire, 0, cut, 0, start);
        System.arraycopy(wire, end, cut, start, wire.length - end);

        checkOnlyProtocolErrors(alloc, cut, chunks);
    }

    @Property(tries = 2000)
    void garbageDecodesOrFailsWithAProtocolError(
            @ForAll("garbage") byte[] garbage, @ForAll("chunkSizes") List<Integer> chunks) {
        Outcome outcome = checkOnlyProtocolErrors(new TrackingAllocator(), garbage, chunks);

        Statistics.label("outcome").collect(outcome.rejection() != null ? outcome.rejection().code()
                : outcome.frames().isEmpty() ? "waiting" : "decoded")
                // a guessed envelope should reach the body parsers, not stop at the magic
                .coverage(c -> {
                    c.check(ErrorCode.MALFORMED).count(n -> n > 0);
                    c.check("decoded").count(n -> n > 0);
                });
    }

    // ---- feeding ----

    private static byte[] wireOf(ByteBufAllocator alloc, List<Sample> samples) {
        return Wire.bytes(alloc, samples.stream().map(s -> s.make().apply(alloc)).toArray(Frame[]::new));
    }

    private static Outcome checkOnlyProtocolErrors(TrackingAllocator alloc, byte[] wire, List<Integer> chunks) {
        Outcome outcome = decode(alloc, wire, chunks);
        Wire.release(outcome.frames());
        assertThat(alloc.unreleased()).isEmpty();
        return outcome;
    }

    /**
     * Feeds the bytes in chunks whose sizes cycle through {@code chunks}, keeping on after a rejection to check
     * that the rest is swallowed, then closes the channel. Any exception other than a wrapped ProtocolException
     * escapes and fails the property.
     */
    private static Outcome decode(TrackingAllocator alloc, byte[] wire, List<Integer> chunks) {
        EmbeddedChannel decoder = Wire.decoder(alloc, MAX_BODY);
        List<Frame> frames = new ArrayList<>();
        ProtocolException rejection = null;
        int at = 0;
        for (int i = 0; at < wire.length; i++) {
            int n = Math.min(chunks.get(i % chunks.size()), wire.length - at);
            ByteBuf chunk = alloc.buffer(n).writeBytes(wire, at, n);
            at += n;
            boolean alreadyRejected = rejection != null;
            try {
                decoder.writeInbound(chunk);
            } catch (DecoderException e) {
                assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
                assertThat(rejection).as("a second rejection after %s", rejection).isNull();
                rejection = (ProtocolException) e.getCause();
            }
            List<Frame> more = Wire.decoded(decoder);
            frames.addAll(more);
            assertThat(alreadyRejected && !more.isEmpty()).as("frames after the rejection: %s", more).isFalse();
        }
        assertThat(decoder.finishAndReleaseAll()).as("frames produced on close").isFalse();
        return new Outcome(frames, rejection);
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        // mostly small chunks, so that envelopes and bodies split at every position; sometimes whole frames
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 16)),
                Tuple.of(3, Arbitraries.integers().between(17, 300)),
                Tuple.of(1, Arbitraries.integers().between(301, 4 * MAX_BODY)));
        return size.list().ofMinSize(1).ofMaxSize(6);
    }

    /** Up to four bytes overwritten: a position (taken modulo the stream length) and a new value. */
    @Provide
    Arbitrary<List<Tuple2<Integer, Byte>>> mutations() {
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes()).as(Tuple::of)
                .list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // half of it behind a well-formed envelope of a random kind whose length matches, to reach the body parsers
        Arbitrary<byte[]> enveloped = Combinators.combine(Arbitraries.of(FrameKind.class), bytes).as((kind, body) -> {
            byte[] b = Arrays.copyOf(new byte[] {'V', 'B', (byte) kind.code, 0, (byte) body.length, (byte) (body.length >> 8), 0, 0},
                    FrameCodec.ENVELOPE_BYTES + body.length);
            System.arraycopy(body, 0, b, FrameCodec.ENVELOPE_BYTES, body.length);
            return b;
        });
        return Arbitraries.oneOf(bytes, enveloped);
    }

    @Provide
    Arbitrary<List<Sample>> streams() {
        return Arbitraries.oneOf(attach(), attachOk(), ack(), request(), completion(), error(), statsQuery(), statsReply())
                .list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    /** Strings that survive a UTF-8 round trip (no lone surrogates), with some multi-byte characters. */
    private static Arbitrary<String> text(int maxLength) {
        return Arbitraries.strings().alpha().numeric().withChars('-', '_', '.', ' ', 'ö', '€', '\u6f22').ofMaxLength(maxLength);
    }

    private static Arbitrary<byte[]> data() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX_DATA);
    }

    private static Sample sample(String label, Function<ByteBufAllocator, Frame> make) {
        return new Sample(label, make);
    }

    private static ByteBuf buffer(ByteBufAllocator alloc, byte[] data) {
        return alloc.buffer(data.length).writeBytes(data);
    }

    private static Arbitrary<Sample> attach() {
        // names of up to 80 characters stay within MAX_NAME_BYTES even at 3 UTF-8 bytes each
        return Combinators.combine(u16(), u16(), text(80), text(200)).as((version, queues, name, token) ->
                sample("Attach(" + version + ", " + queues + ", " + name + ", " + token + ")",
                        a -> new Attach(version, queues, name, token)));
    }

    private static Arbitrary<Sample> attachOk() {
        // the four discard and write-zeroes limits come as one array: combine takes at most eight arguments
        Arbitrary<BlkConfig> config = Combinators.combine(Arbitraries.longs(), Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.integers(), u16(), u16(), Arbitraries.integers().array(int[].class).ofSize(4))
                .as((cap, blk, seg, size, n, qs, l) -> new BlkConfig(cap, blk, seg, size, n, qs, l[0], l[1], l[2], l[3]));
        return Combinators.combine(u16(), Arbitraries.longs(), config).as((version, features, c) -> {
            AttachOk ok = new AttachOk(version, features, c);
            return sample(ok.toString(), a -> ok);
        });
    }

    private static Arbitrary<Sample> ack() {
        return Arbitraries.longs().map(features -> sample("Ack(" + features + ")", a -> new Ack(features)));
    }

    private static Arbitrary<Sample> request() {
        Arbitrary<Integer> type = Arbitraries.of(VirtioBlk.T_IN, VirtioBlk.T_OUT, VirtioBlk.T_FLUSH, VirtioBlk.T_GET_ID,
                VirtioBlk.T_DISCARD, VirtioBlk.T_WRITE_ZEROES, 99);
        Arbitrary<Integer> readLength = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        return Combinators.combine(u16(), u16(), type, Arbitraries.integers(), Arbitraries.longs(), data(), readLength)
                .as((queue, descriptor, t, ioprio, sector, data, length) -> {
                    boolean carries = VirtioBlk.carriesData(t);
                    int len = carries ? data.length : length;
                    return sample("BlkRequest(" + queue + ", " + descriptor + ", " + VirtioBlk.typeName(t) + ", " + ioprio
                                    + ", " + sector + ", " + len + (carries ? ", " + data.length + " bytes)" : ")"),
                            a -> carries ? new BlkRequest(queue, descriptor, t, ioprio, sector, len, buffer(a, data))
                                    : new BlkRequest(queue, descriptor, t, ioprio, sector, len, Unpooled.EMPTY_BUFFER));
                });
    }

    private static Arbitrary<Sample> completion() {
        Arbitrary<Integer> usedWithoutData = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        return Combinators.combine(u16(), u16(), Arbitraries.integers().between(0, 255), data(), usedWithoutData)
                .as((queue, descriptor, status, data, used) -> {
                    int usedLength = data.length > 0 ? data.length : used;
                    return sample("Completion(" + queue + ", " + descriptor + ", " + status + ", " + usedLength + ", "
                                    + data.length + " bytes)",
                            a -> new Completion(queue, descriptor, status, usedLength, buffer(a, data)));
                });
    }

    private static Arbitrary<Sample> error() {
        return Combinators.combine(Arbitraries.of(ErrorCode.class), text(300)).as((code, message) -> {
            ErrorFrame e = new ErrorFrame(code, message);
            return sample("ErrorFrame(" + e + ")", a -> e);
        });
    }

    private static Arbitrary<Sample> statsQuery() {
        return Arbitraries.just(sample("StatsQuery()", a -> new StatsQuery()));
    }

    private static Arbitrary<Sample> statsReply() {
        return text(500).map(json -> sample("StatsReply(" + json + ")", a -> new StatsReply(json)));
    }
}
