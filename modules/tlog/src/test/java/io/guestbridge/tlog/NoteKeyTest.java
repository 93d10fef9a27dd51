package io.guestbridge.tlog;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoteKeyTest {

    /** The example key and note of the Go sumdb/note package, which C2SP signed-note describes. */
    private static final String GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private static final String GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void signsAndVerifiesExactlyAsTheGoReferenceDoes() {
        NoteKey signer = NoteKey.signer(GO_SIGNER);
        assertEquals(GO_VERIFIER, signer.verifierKey());
        assertEquals(GO_NOTE, signer.sign(GO_TEXT));
        assertEquals(Optional.of(GO_TEXT), NoteKey.verifier(GO_VERIFIER).open(GO_NOTE));
    }

    @Test
    void aChangedTextAWrongKeyOrAForgedLineIsNotOpened() {
        NoteKey log = NoteKey.signer(NoteKey.generate("guestbridge.test/audit"));
        String note = log.sign("guestbridge.test/audit\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        NoteKey verifier = NoteKey.verifier(log.verifierKey());
        assertTrue(verifier.open(note).isPresent());
        assertTrue(verifier.open(note.replace("\n12\n", "\n13\n")).isEmpty(), "changed tree size");
        NoteKey other = NoteKey.signer(NoteKey.generate("guestbridge.test/audit"));
        assertTrue(NoteKey.verifier(other.verifierKey()).open(note).isEmpty(), "same name, another key");
        String forged = other.sign("guestbridge.test/audit\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        assertTrue(verifier.open(forged).isEmpty(), "signed by another key");
        assertThrows(IllegalArgumentException.class, () -> NoteKey.signer(GO_SIGNER.replace("c74f20a3", "c74f20a4")));
    }

    @Test
    void aCheckpointReadsBackWhatItWrites() {
        byte[] root = new byte[32];
        root[5] = 7;
        Checkpoint checkpoint = new Checkpoint("guestbridge.test/audit", 1234567, root);
        assertEquals("guestbridge.test/audit\n1234567\nAAAAAAAHAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", checkpoint.text());
        Checkpoint read = Checkpoint.parse(checkpoint.text());
        assertEquals(1234567, read.size());
        assertEquals(7, read.rootHash()[5]);
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse("origin\n012\nAAAA\n"));
    }
}
