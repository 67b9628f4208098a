package io.vblk.microbench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import io.vblk.protocol.FrameKind;
import io.vblk.protocol.VirtioBlk;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The wire codec on the hot path, through pooled direct buffers as the event loops use them: a 4 KiB write
 * REQUEST and a COMPLETION carrying 4 KiB of read data, each encoded (head + payload, as {@link FrameEncoder}
 * emits them) and decoded (from one buffer holding the whole frame, as {@link FrameDecoder} sees it). Every
 * buffer an operation creates is released inside it, so the pool stays in steady state.
 *
 * <p>{@code codec*} call {@link FrameCodec} directly; {@code pipeline*} go through the Netty handlers in an
 * {@link EmbeddedChannel}, which adds the channel's own per-message bookkeeping (a promise per outbound write).
 *
 * <p>JMH's threads are not Netty event-loop threads: the fork turns on the pooled allocator's thread cache for
 * every thread (an event loop has it anyway), but Netty's object recycler still does not pool the small
 * wrapper objects (derived buffers) on such a thread, so B/op here includes wrappers an event loop reuses.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "-Dio.netty.allocator.useCacheForAllThreads=true")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBench {
    static final int BLOCK = 4096;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    /** 4 KiB of block data the encode benchmarks send (a retained duplicate per operation). */
    private ByteBuf block;
    /** A whole 4 KiB write REQUEST frame on the wire. */
    private ByteBuf requestWire;
    /** A whole COMPLETION frame with 4 KiB of read data on the wire. */
    private ByteBuf completionWire;
    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;
    private long sector;

    @Setup
    public void setup() {
        block = alloc.directBuffer(BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            block.writeByte(i * 31);
        }
        requestWire = wire(BlkRequest.write(0, 7, 2048, block.retainedDuplicate()));
        completionWire = wire(new Completion(0, 7, VirtioBlk.S_OK, BLOCK, block.retainedDuplicate()));
        decoder = new EmbeddedChannel(new FrameDecoder(1 << 20));
        encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
    }

    private ByteBuf wire(Frame f) {
        ByteBuf head = FrameCodec.encodeHead(alloc, f);
        ByteBuf whole = alloc.directBuffer(head.readableBytes() + BLOCK);
        whole.writeBytes(head).writeBytes(FrameCodec.payload(f), 0, BLOCK);
        head.release();
        ((io.netty.util.ReferenceCounted) f).release();
        return whole;
    }

    @TearDown
    public void tearDown() {
        block.release();
        requestWire.release();
        completionWire.release();
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
    }

    @Benchmark
    public void codecEncodeWriteRequest(Blackhole bh) {
        BlkRequest r = BlkRequest.write(0, 7, sector++ & 0xffff, block.retainedDuplicate());
        ByteBuf head = FrameCodec.encodeHead(alloc, r);
        ByteBuf payload = FrameCodec.payload(r);
        bh.consume(head.readableBytes() + payload.readableBytes());
        head.release();
        r.release();
    }

    @Benchmark
    public void codecDecodeWriteRequest(Blackhole bh) {
        ByteBuf in = requestWire;
        in.readerIndex(FrameCodec.ENVELOPE_BYTES);
        BlkRequest r = (BlkRequest) FrameCodec.decodeBody(FrameKind.REQUEST, in, in.readableBytes());
        bh.consume(r.sector() + r.data().readableBytes());
        r.release();
    }

    @Benchmark
    public void codecEncodeReadCompletion(Blackhole bh) {
        Completion c = new Completion(0, 7, VirtioBlk.S_OK, BLOCK, block.retainedDuplicate());
        ByteBuf head = FrameCodec.encodeHead(alloc, c);
        ByteBuf payload = FrameCodec.payload(c);
        bh.consume(head.readableBytes() + payload.readableBytes());
        head.release();
        c.release();
    }

    @Benchmark
    public void codecDecodeReadCompletion(Blackhole bh) {
        ByteBuf in = completionWire;
        in.readerIndex(FrameCodec.ENVELOPE_BYTES);
        Completion c = (Completion) FrameCodec.decodeBody(FrameKind.COMPLETION, in, in.readableBytes());
        bh.consume(c.descriptor() + c.data().readableBytes());
        c.release();
    }

    /** The whole frame through {@link FrameDecoder} (its cumulation, the frame split, the output list). */
    @Benchmark
    public void pipelineDecodeWriteRequest(Blackhole bh) {
        decoder.writeInbound(requestWire.retainedDuplicate().readerIndex(0));
        BlkRequest r = decoder.readInbound();
        bh.consume(r.sector());
        r.release();
    }

    /** A read completion through {@link FrameEncoder}: the head and the payload come out as two buffers. */
    @Benchmark
    public void pipelineEncodeReadCompletion(Blackhole bh) {
        encoder.writeOutbound(new Completion(0, 7, VirtioBlk.S_OK, BLOCK, block.retainedDuplicate()));
        ByteBuf head = encoder.readOutbound();
        ByteBuf payload = encoder.readOutbound();
        bh.consume(head.readableBytes() + payload.readableBytes());
        head.release();
        payload.release();
    }
}
