package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
