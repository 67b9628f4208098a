package io.vblk.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a small text file a person named (a config, a token, a certificate) without trusting it: only a
 * regular file (a FIFO would block, /dev/zero never ends), at most {@code max} bytes read, strict UTF-8.
 */
final class TextFiles {
    private TextFiles() {}

    /** The file is not the small text it should be; the message is a reason, without the file's name. */
    static final class NotText extends IOException {
        NotText(String reason) {
            super(reason, null);
        }
    }

    /** @throws java.nio.file.NoSuchFileException when absent, NotText when not a small UTF-8 text */
    static String read(Path file, long max) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new NotText("is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (bytes.length > max) {
            throw new NotText("holds " + Math.max(bytes.length, Files.size(file)) + " bytes, more than the " + max + " allowed");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NotText("is not UTF-8 text");
        }
    }
}
