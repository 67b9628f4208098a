package io.vblk.protocol;

import static io.vblk.protocol.Wire.decoded;
import static io.vblk.protocol.Wire.pattern;
import static io.vblk.protocol.Wire.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {
    /** Room for a 4 KiB transfer: REQUEST and COMPLETION bodies above this are refused. */
    private static final int MAX_BODY = FrameCodec.REQUEST_HEADER_BYTES + 4096;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel decoder = Wire.decoder(alloc, MAX_BODY);

    @AfterEach
    void nothingLeftBehind() {
        // every test reads what it expects: anything still queued is an unexpected frame
        assertThat(decoder.finishAndReleaseAll()).as("unread frames").isFalse();
        assertThat(alloc.unreleased()).as("buffers never released").isEmpty();
    }

    /** One frame of every kind; a function so each test builds its own (sending a frame hands its payload away). */
    static Stream<Arguments> samples() {
        return Stream.of(
                sample("attach with token", a -> new Attach(1, 4, "sda11", "s3cret-tökén")),
                sample("attach without token", a -> new Attach(1, 1, "img0")),
                sample("attach ok", a -> new AttachOk(1, VirtioBlk.bit(VirtioBlk.F_MQ) | Long.MIN_VALUE,
                        new BlkConfig(1L << 33, 4096, 128, 65536, 65535, 32768, 4194303, 1, 8, 256))),
                sample("ack", a -> new Ack(VirtioBlk.bit(VirtioBlk.F_FLUSH) | VirtioBlk.bit(VirtioBlk.F_DISCARD))),
                sample("read", a -> BlkRequest.read(3, 17, 2048, 4096)),
                sample("get id", a -> BlkRequest.of(0, 1, VirtioBlk.T_GET_ID, 0, VirtioBlk.ID_BYTES)),
                sample("flush", a -> BlkRequest.of(0, 2, VirtioBlk.T_FLUSH, 0, 0)),
                sample("write", a -> new BlkRequest(1, 65535, VirtioBlk.T_OUT, 7, 1L << 40, 4096, bytes(a, pattern(4096, 1)))),
                sample("discard", a -> withData(VirtioBlk.T_DISCARD, segments(a, 2))),
                sample("write zeroes", a -> withData(VirtioBlk.T_WRITE_ZEROES, segments(a, 1))),
                sample("completion with read data", a -> new Completion(3, 17, VirtioBlk.S_OK, 4096, bytes(a, pattern(4096, 2)))),
                sample("completion without data", a -> Completion.of(1, 65535, VirtioBlk.S_IOERR)),
                sample("error", a -> new ErrorFrame(ErrorCode.UNKNOWN_DEVICE, "no device 'sdz'")),
                sample("stats query", a -> new StatsQuery()),
                sample("stats query with a token", a -> new StatsQuery("s3cret")),
                sample("stats reply", a -> new StatsReply("{\"devices\":[{\"name\":\"sda11\",\"reads\":12}]}")));
    }

    private static Arguments sample(String name, Function<ByteBufAllocator, Frame> frame) {
        return Arguments.of(name, frame);
    }

    private static ByteBuf bytes(ByteBufAllocator alloc, byte[] content) {
        return alloc.buffer(content.length).writeBytes(content);
    }

    private static BlkRequest withData(int type, ByteBuf data) {
        return new BlkRequest(0, 5, type, 0, 0, data.readableBytes(), data);
    }

    /** DISCARD / WRITE_ZEROES payload: 16-byte segments of sector u64, num_sectors u32, flags u32. */
    private static ByteBuf segments(ByteBufAllocator alloc, int n) {
        ByteBuf b = alloc.buffer(n * VirtioBlk.SEGMENT_BYTES);
        for (int i = 0; i < n; i++) {
            b.writeLongLE(1000L * i).writeIntLE(8).writeIntLE(i % 2);
        }
        return b;
    }

    private ByteBuf in(byte[] wire) {
        return bytes(alloc, wire);
    }

    private ByteBuf envelope(int magic, int kind, long bodyLength) {
        return Wire.envelope(alloc, magic, kind, bodyLength);
    }

    private ByteBuf envelope(FrameKind kind, long bodyLength) {
        return envelope(FrameCodec.MAGIC, kind.code, bodyLength);
    }

    @Test
    @SuppressWarnings("unchecked")
    void samplesCoverEveryFrameKind() {
        Set<FrameKind> covered = samples().map(args -> {
            Frame f = ((Function<ByteBufAllocator, Frame>) args.get()[1]).apply(alloc);
            ReferenceCountUtil.release(f);
            return f.kind();
        }).collect(Collectors.toCollection(() -> EnumSet.noneOf(FrameKind.class)));

        assertThat(covered).containsExactlyInAnyOrder(FrameKind.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void frameRoundTripsThroughEncoderAndDecoder(String name, Function<ByteBufAllocator, Frame> make) {
        Frame expected = make.apply(alloc);
        List<ByteBuf> wire = Wire.encode(alloc, make.apply(alloc));

        wire.forEach(decoder::writeInbound);
        List<Frame> frames = decoded(decoder);

        assertThat(frames).containsExactly(expected);
        release(frames);
        ReferenceCountUtil.release(expected);
        // the decoded payload was the last holder of the buffers the decoder was fed
        assertThat(wire).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(frames).allSatisfy(f -> assertThat(refCnt(f)).isZero());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void frameReassemblesWhenFedOneByteAtATime(String name, Function<ByteBufAllocator, Frame> make) {
        Frame expected = make.apply(alloc);
        byte[] wire = Wire.bytes(alloc, make.apply(alloc));

        for (int i = 0; i < wire.length - 1; i++) {
            decoder.writeInbound(alloc.buffer(1).writeByte(wire[i]));
            assertThat(decoded(decoder)).as("after %d of %d bytes", i + 1, wire.length).isEmpty();
        }
        decoder.writeInbound(alloc.buffer(1).writeByte(wire[wire.length - 1]));
        List<Frame> frames = decoded(decoder);

        assertThat(frames).containsExactly(expected);
        release(frames);
        ReferenceCountUtil.release(expected);
        assertThat(frames).allSatisfy(f -> assertThat(refCnt(f)).isZero());
    }

    /** Frames without a payload hold no buffer of their own; count them as released. */
    private static int refCnt(Frame f) {
        return f instanceof BlkRequest r && r.data().capacity() > 0 ? r.refCnt()
                : f instanceof Completion c && c.data().capacity() > 0 ? c.refCnt() : 0;
    }

    @Test
    void backToBackFramesInOneBufferDecodeInOrder() {
        byte[] wire = Wire.bytes(alloc, new Ack(1), BlkRequest.read(0, 1, 8, 512), new StatsQuery(), Completion.of(0, 1, 0));

        decoder.writeInbound(in(wire));
        List<Frame> frames = decoded(decoder);

        assertThat(frames).containsExactly(
                new Ack(1), BlkRequest.read(0, 1, 8, 512), new StatsQuery(), Completion.of(0, 1, 0));
        release(frames);
    }

    @ParameterizedTest
    @ValueSource(ints = {VirtioBlk.T_OUT, VirtioBlk.T_DISCARD, VirtioBlk.T_WRITE_ZEROES})
    void requestTypesThatCarryDataPutItOnTheWire(int type) {
        byte[] data = pattern(64, type);

        byte[] wire = Wire.bytes(alloc, new BlkRequest(0, 1, type, 0, 0, data.length, in(data)));

        assertThat(wire).hasSize(FrameCodec.ENVELOPE_BYTES + FrameCodec.REQUEST_HEADER_BYTES + data.length)
                .endsWith(data);
    }

    @ParameterizedTest
    @ValueSource(ints = {VirtioBlk.T_IN, VirtioBlk.T_GET_ID, VirtioBlk.T_FLUSH})
    void requestTypesThatCarryNoDataSendOnlyTheHeaderWithTheLength(int type) {
        byte[] wire = Wire.bytes(alloc, BlkRequest.of(0, 1, type, 0, 4096));

        assertThat(wire).hasSize(FrameCodec.ENVELOPE_BYTES + FrameCodec.REQUEST_HEADER_BYTES);
        decoder.writeInbound(in(wire));
        List<Frame> frames = decoded(decoder);
        assertThat(frames).singleElement().isInstanceOfSatisfying(BlkRequest.class, r -> {
            assertThat(r.length()).isEqualTo(4096);
            assertThat(r.data().readableBytes()).isZero();
        });
        release(frames);
    }

    @Test
    void encoderSendsThePayloadBufferItselfInsteadOfACopy() {
        ByteBuf data = in(pattern(512, 3));

        List<ByteBuf> wire = Wire.encode(alloc, BlkRequest.write(0, 1, 0, data));

        assertThat(wire).hasSize(2);
        assertThat(wire.get(1)).isSameAs(data);
        // the frame's reference went with the encoder's release; the one left belongs to the write
        assertThat(data.refCnt()).isOne();
        release(wire);
    }

    @Test
    void encoderCutsLongErrorMessagesTo4096Characters() {
        decoder.writeInbound(in(Wire.bytes(alloc, new ErrorFrame(ErrorCode.LIMIT, "x".repeat(5000)))));

        assertThat(decoded(decoder)).containsExactly(new ErrorFrame(ErrorCode.LIMIT, "x".repeat(4096)));
    }

    // ---- rejections: the decoder throws ProtocolException, which the pipeline wraps in DecoderException ----

    private static ErrorCode codeOf(Throwable t) {
        assertThat(t).as("the decoder accepted the input").isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(ProtocolException.class);
        return ((ProtocolException) t.getCause()).code();
    }

    private ErrorCode rejectionOf(ByteBuf input) {
        return codeOf(catchThrowable(() -> decoder.writeInbound(input)));
    }

    @Test
    void badMagicIsRejectedOnceTheEnvelopeIsComplete() {
        ByteBuf bad = envelope(0x4742, FrameKind.ACK.code, 8);

        // seven bytes cannot be judged yet: the decoder waits
        assertThat(decoder.writeInbound(bad.readRetainedSlice(7))).isFalse();
        assertThat(rejectionOf(bad)).isEqualTo(ErrorCode.BAD_MAGIC);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 9, 255})
    void unknownKindIsMalformed(int kind) {
        assertThat(rejectionOf(envelope(FrameCodec.MAGIC, kind, 0))).isEqualTo(ErrorCode.MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(value = FrameKind.class, names = {"REQUEST", "COMPLETION"})
    void dataFrameAboveMaxBodyIsRejectedBeforeItsBodyArrives(FrameKind kind) {
        assertThat(rejectionOf(envelope(kind, MAX_BODY + 1))).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }

    @ParameterizedTest
    @EnumSource(value = FrameKind.class, names = {"REQUEST", "COMPLETION"}, mode = EnumSource.Mode.EXCLUDE)
    void controlFrameAboveMaxControlBodyIsRejectedBeforeItsBodyArrives(FrameKind kind) {
        // a generous data bound must not widen the control bound
        EmbeddedChannel generous = Wire.decoder(alloc, 16 * FrameCodec.MAX_CONTROL_BODY);

        Throwable t = catchThrowable(() -> generous.writeInbound(envelope(kind, FrameCodec.MAX_CONTROL_BODY + 1)));

        assertThat(codeOf(t)).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(generous.finishAndReleaseAll()).isFalse();
    }

    @Test
    void controlFramesAreNotLimitedByMaxBody() {
        EmbeddedChannel tight = Wire.decoder(alloc, FrameCodec.REQUEST_HEADER_BYTES);
        StatsReply big = new StatsReply("{\"pad\":\"" + "p".repeat(10_000) + "\"}");

        tight.writeInbound(in(Wire.bytes(alloc, big)));

        assertThat(decoded(tight)).containsExactly(big);
        assertThat(tight.finishAndReleaseAll()).isFalse();
    }

    @Test
    void declaredLengthEqualToMaxBodyIsAccepted() {
        byte[] data = pattern(MAX_BODY - FrameCodec.REQUEST_HEADER_BYTES, 4);
        ByteBuf wire = in(Wire.bytes(alloc, BlkRequest.write(0, 1, 0, in(data))));

        // the envelope alone is not refused
        assertThat(decoder.writeInbound(wire.readRetainedSlice(FrameCodec.ENVELOPE_BYTES))).isFalse();
        decoder.writeInbound(wire);

        List<Frame> frames = decoded(decoder);
        assertThat(frames).singleElement().isInstanceOfSatisfying(BlkRequest.class,
                r -> assertThat(ByteBufUtil.getBytes(r.data())).isEqualTo(data));
        release(frames);
    }

    @Test
    void declaredLengthNearFourGibibytesIsTooLargeRatherThanNegative() {
        assertThat(rejectionOf(envelope(FrameKind.REQUEST, 0xFFFF_FFFFL))).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void raisingMaxBodyAdmitsLargerDataFrames() {
        FrameDecoder handler = new FrameDecoder(FrameCodec.REQUEST_HEADER_BYTES);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.config().setAllocator(alloc);

        handler.maxBody(MAX_BODY);
        ch.writeInbound(in(Wire.bytes(alloc, BlkRequest.write(0, 1, 0, in(pattern(4096, 5))))));

        List<Frame> frames = decoded(ch);
        assertThat(frames).hasSize(1);
        release(frames);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void requestWhoseDeclaredDataLengthDiffersFromItsDataIsMalformed() {
        // claims 4096 bytes, carries 512
        BlkRequest lying = new BlkRequest(0, 1, VirtioBlk.T_OUT, 0, 0, 4096, in(pattern(512, 6)));

        assertThat(rejectionOf(in(Wire.bytes(alloc, lying)))).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void readRequestThatCarriesDataIsMalformed() {
        ByteBuf frame = envelope(FrameKind.REQUEST, FrameCodec.REQUEST_HEADER_BYTES + 4)
                .writeShortLE(0).writeShortLE(1).writeIntLE(VirtioBlk.T_IN).writeIntLE(0).writeLongLE(0).writeIntLE(4)
                .writeIntLE(0xdeadbeef);

        assertThat(rejectionOf(frame)).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void completionWhoseDataDiffersFromItsUsedLengthIsMalformed() {
        Completion lying = new Completion(0, 1, VirtioBlk.S_OK, 4096, in(pattern(512, 7)));

        assertThat(rejectionOf(in(Wire.bytes(alloc, lying)))).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void completionUsedLengthBeyondIntRangeIsRefusedRatherThanTurnedNegative() {
        ByteBuf frame = envelope(FrameKind.COMPLETION, FrameCodec.COMPLETION_HEADER_BYTES)
                .writeShortLE(0).writeShortLE(1).writeByte(VirtioBlk.S_OK).writeZero(3).writeIntLE(0x8000_0000);

        assertThat(rejectionOf(frame)).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6, 255})
    void attachWhoseNameLengthDisagreesWithItsBodyIsMalformed(int declaredNameLength) {
        ByteBuf frame = envelope(FrameKind.ATTACH, 8 + 5)
                .writeShortLE(1).writeShortLE(1).writeShortLE(declaredNameLength).writeShortLE(0).writeBytes(pattern(5, 8));

        assertThat(rejectionOf(frame)).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void attachNameLongerThanTheLimitIsMalformedEvenWhenConsistent() {
        int n = FrameCodec.MAX_NAME_BYTES + 1;
        ByteBuf frame = envelope(FrameKind.ATTACH, 8 + n)
                .writeShortLE(1).writeShortLE(1).writeShortLE(n).writeShortLE(0).writeBytes(pattern(n, 8));

        assertThat(rejectionOf(frame)).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void errorFrameWhoseMessageLengthDisagreesWithItsBodyIsMalformed() {
        ByteBuf frame = envelope(FrameKind.ERROR, 4 + 3).writeShortLE(ErrorCode.LIMIT.code).writeShortLE(5).writeBytes(pattern(3, 9));

        assertThat(rejectionOf(frame)).isEqualTo(ErrorCode.MALFORMED);
    }

    static Stream<Arguments> tooShortBodies() {
        return Stream.of(
                Arguments.of(FrameKind.ATTACH, 7),
                Arguments.of(FrameKind.ATTACH_OK, FrameCodec.ATTACH_OK_BYTES - 1),
                Arguments.of(FrameKind.ACK, 7),
                Arguments.of(FrameKind.REQUEST, 0),
                Arguments.of(FrameKind.REQUEST, FrameCodec.REQUEST_HEADER_BYTES - 1),
                Arguments.of(FrameKind.COMPLETION, FrameCodec.COMPLETION_HEADER_BYTES - 1),
                Arguments.of(FrameKind.ERROR, 3));
    }

    @ParameterizedTest(name = "{0} body of {1} bytes")
    @MethodSource("tooShortBodies")
    void bodyShorterThanItsKindsLayoutIsMalformed(FrameKind kind, int length) {
        assertThat(rejectionOf(envelope(kind, length).writeZero(length))).isEqualTo(ErrorCode.MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(value = FrameKind.class, names = {"ATTACH_OK", "ACK"})
    void fixedSizeBodyWithExtraBytesIsMalformed(FrameKind kind) {
        int exact = kind == FrameKind.ATTACH_OK ? FrameCodec.ATTACH_OK_BYTES : 8;

        assertThat(rejectionOf(envelope(kind, exact + 1).writeZero(exact + 1))).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void statsQueryTokenLongerThanATokenIsMalformed() {
        int length = FrameCodec.MAX_TOKEN_BYTES + 1;

        assertThat(rejectionOf(envelope(FrameKind.STATS_QUERY, length).writeZero(length))).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void framesBeforeAFaultAreStillDelivered() {
        ByteBuf stream = in(Wire.bytes(alloc, new Ack(7))).writeZero(FrameCodec.ENVELOPE_BYTES);

        assertThat(rejectionOf(stream)).isEqualTo(ErrorCode.BAD_MAGIC);
        assertThat(decoded(decoder)).containsExactly(new Ack(7));
    }

    @Test
    void afterAFailureFurtherInputIsDiscardedAndReleased() {
        assertThat(rejectionOf(envelope(0, FrameKind.ACK.code, 8))).isEqualTo(ErrorCode.BAD_MAGIC);

        for (int i = 0; i < 3; i++) {
            ByteBuf valid = in(Wire.bytes(alloc, new Ack(i), BlkRequest.write(0, i, 0, in(pattern(512, i)))));
            assertThat(decoder.writeInbound(valid)).as("no frame after the failure").isFalse();
            assertThat(valid.refCnt()).isZero();
        }
    }

    @Test
    void payloadsDecodedFromOneBufferAreIndependentlyOwned() {
        byte[] wire = Wire.bytes(alloc,
                BlkRequest.write(0, 1, 0, in(pattern(512, 10))),
                BlkRequest.write(0, 2, 1, in(pattern(512, 11))));
        decoder.writeInbound(in(wire));
        List<Frame> frames = decoded(decoder);
        BlkRequest first = (BlkRequest) frames.get(0);
        BlkRequest second = (BlkRequest) frames.get(1);

        first.release();

        // both payloads are slices of the same input buffer: releasing one must not free the other
        assertThat(ByteBufUtil.getBytes(second.data())).isEqualTo(pattern(512, 11));
        second.release();
        assertThat(second.refCnt()).isZero();
    }
}
