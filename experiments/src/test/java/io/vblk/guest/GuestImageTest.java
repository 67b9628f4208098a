package io.vblk.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZOutputStream;

/** The guest's initramfs read back entry by entry, and its kernel found inside a bzImage-like file. */
class GuestImageTest {
    @TempDir
    Path dir;

    @Test
    void theInitramfsHoldsBusyboxTheModulesTheLoadProgramAndInit() throws Exception {
        Path modules = dir.resolve("drivers");
        Files.createDirectories(modules.resolve("virtio"));
        Files.createDirectories(modules.resolve("block"));
        Files.writeString(modules.resolve("virtio/virtio_ring.ko"), "ring");
        Files.writeString(modules.resolve("block/virtio_blk.ko"), "blk");
        Path busybox = Files.writeString(dir.resolve("busybox"), "busybox-bytes");
        Path program = Files.writeString(dir.resolve("load"), "program-bytes");
        GuestTools tools = new GuestTools(Path.of("/q"), Path.of("/gcc"), busybox, Path.of("/boot/vmlinuz-1"), modules);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GuestImage.writeInitramfs(tools, program, out);

        Map<String, String> files = new LinkedHashMap<>();
        Map<String, Integer> modes = new LinkedHashMap<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (CpioArchiveEntry e; (e = in.getNextCPIOEntry()) != null; ) {
                modes.put(e.getName(), (int) e.getMode());
                files.put(e.getName(), e.isDirectory() ? "/" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(files).containsEntry("bin/busybox", "busybox-bytes").containsEntry("bin/vblk-guest-load", "program-bytes")
                .containsEntry("lib/virtio_ring.ko", "ring").containsEntry("lib/virtio_blk.ko", "blk")
                .containsEntry("init", GuestImage.INIT).containsEntry("dev", "/").doesNotContainKey("lib/virtio.ko");
        assertThat(modes.get("init") & 0777).isEqualTo(0755);
        assertThat(modes.get("bin/vblk-guest-load") & 0777).isEqualTo(0755);
    }

    @Test
    void theKernelIsTheElfFileInsideTheXzPayloadAfterTheSetupCode() throws Exception {
        byte[] elf = new byte[100_000];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        for (int i = 4; i < elf.length; i++) {
            elf[i] = (byte) (i * 31 % 251);
        }
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (XZOutputStream z = new XZOutputStream(xz, new org.tukaani.xz.FilterOptions[] {new X86Options(),
                new LZMA2Options()})) {
            z.write(elf);
        }
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        image.write(new byte[4096]);           // the setup code
        image.write(xz.toByteArray());
        image.write(new byte[1000]);           // padding after the stream
        Path bz = Files.write(dir.resolve("vmlinuz"), image.toByteArray());

        assertThat(GuestImage.extractVmlinux(bz, dir.resolve("vmlinux"))).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("vmlinux"))).isEqualTo(elf);
        assertThat(GuestImage.extractVmlinux(Files.write(dir.resolve("plain"), new byte[5000]), dir.resolve("none")))
                .isFalse();
    }

    @Test
    void theHostsOwnDebianKernelYieldsAnElfKernel() throws Exception {
        Path kernel;
        try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
            kernel = boot.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst().orElse(null);
        }
        assumeTrue(kernel != null && Files.isReadable(kernel), "no kernel in /boot (Debian package linux-image-amd64)");
        Path out = dir.resolve("vmlinux");

        assertThat(GuestImage.extractVmlinux(kernel, out)).isTrue();
        assertThat(Files.size(out)).isGreaterThan(Files.size(kernel));
    }

    @Test
    void aMissingToolIsNamedWithItsDebianPackage() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> GuestTools.find(bin.toString()),
                GuestTools.Missing.class)).hasMessage("a real guest needs qemu-system-x86_64, which is not installed "
                + "(Debian package qemu-system-x86)");
        for (String tool : new String[] {"qemu-system-x86_64", "gcc"}) {
            Path t = Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
            t.toFile().setExecutable(true);
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> GuestTools.find(bin.toString()),
                GuestTools.Missing.class)).hasMessageContaining("busybox").hasMessageContaining("busybox-static");
    }

    @Test
    void kernelsAreOrderedByTheirVersionNumbers() {
        assertThat(GuestTools.compareVersions("vmlinuz-6.1.0-9-amd64", "vmlinuz-6.1.0-57-amd64")).isNegative();
        assertThat(GuestTools.compareVersions("vmlinuz-6.10.0-1-amd64", "vmlinuz-6.9.0-1-amd64")).isPositive();
        assertThat(GuestTools.compareVersions("vmlinuz-6.1.0-9-amd64", "vmlinuz-6.1.0-9-amd64")).isZero();
    }
}
