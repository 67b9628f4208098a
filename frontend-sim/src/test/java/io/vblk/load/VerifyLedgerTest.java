package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyLedgerTest {
    private final VerifyLedger ledger = new VerifyLedger(4);

    @Test
    void anUnwrittenBlockIsNotChecked() {
        assertThat(ledger.beginRead(3)).isEqualTo(VerifyLedger.UNKNOWN);
        ledger.endRead(3);
        assertThat(ledger.isBusy(3)).isFalse();
    }

    @Test
    void aReadExpectsTheLastAcknowledgedGeneration() {
        int g1 = ledger.beginWrite(3);
        assertThat(ledger.isBusy(3)).isTrue();
        ledger.endWrite(3, g1, true);
        int g2 = ledger.beginWrite(3);
        ledger.endWrite(3, g2, true);
        assertThat(g2).isEqualTo(g1 + 1);
        assertThat(ledger.beginRead(3)).isEqualTo(g2);
        ledger.endRead(3);
        assertThat(ledger.blocksWritten()).isEqualTo(1);
    }

    @Test
    void aFailedWriteLeavesTheBlockUncheckedAndItsGenerationUsed() {
        int g1 = ledger.beginWrite(9);
        ledger.endWrite(9, g1, true);
        int g2 = ledger.beginWrite(9);
        ledger.endWrite(9, g2, false);
        assertThat(ledger.beginRead(9)).isEqualTo(VerifyLedger.UNKNOWN);
        ledger.endRead(9);
        assertThat(ledger.beginWrite(9)).isEqualTo(g2 + 1);
    }

    @Test
    void twoRequestsOnOneBlockAreRefused() {
        ledger.beginWrite(1);
        assertThatThrownBy(() -> ledger.beginRead(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFlushCoversOnlyWritesAcknowledgedBeforeItWasSent() {
        int g1 = ledger.beginWrite(5);
        ledger.endWrite(5, g1, true);
        BlockMap covered = ledger.ackedSnapshot();
        int g2 = ledger.beginWrite(5);
        ledger.endWrite(5, g2, true);
        ledger.flushed(covered);
        assertThat(ledger.flushedGeneration(5)).isEqualTo(g1);
        assertThat(ledger.flushes()).isEqualTo(1);
        assertThat(ledger.flushedBlocks()).containsExactly(5L);
        List<VerifyLedger.Block> blocks = new ArrayList<>();
        ledger.forEach(blocks::add);
        assertThat(blocks).containsExactly(new VerifyLedger.Block(5, g2, g2, g1));
    }

    @Test
    void aRestoredBlockIsCheckedAgainstARangeAndContinuesItsGenerations() {
        ledger.restore(new VerifyLedger.Block(7, 4, 3, 2));
        ledger.restore(new VerifyLedger.Block(8, 2, 2, 2));
        assertThat(ledger.beginRead(7)).isEqualTo(VerifyLedger.UNKNOWN);
        ledger.endRead(7);
        assertThat(ledger.flushedGeneration(7)).isEqualTo(2);
        assertThat(ledger.newest(7)).isEqualTo(4);
        assertThat(ledger.beginRead(8)).isEqualTo(2);
        ledger.endRead(8);
        assertThat(ledger.beginWrite(7)).isEqualTo(5);
    }
}
