package org.mlarouter.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.privacy.OutcomeSignature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router keys}: the key the router signs review outcomes with ({@code mla.review.signing.key.file}). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "The key the router signs review outcomes with"
        + " (mla.review.signing.key.file), and the key-encryption keys of personal data (mla.personal.data.kek.file).",
        subcommands = {KeysCommand.NewCommand.class, KeysCommand.KekNewCommand.class, KeysCommand.KekRotateCommand.class})
final class KeysCommand extends CommandGroup {

    /** {@code mla-router keys new FILE}. */
    @Command(name = "new", mixinStandardHelpOptions = true, description = "Write a new random signing key (32 bytes, Base64) to FILE,"
            + " readable by its owner only. Give every instance of one router the same file; an existing file is never replaced.")
    static final class NewCommand implements Callable<Integer> {

        @ParentCommand
        KeysCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where the key is written.")
        Path file;

        @picocli.CommandLine.Option(names = "--if-missing", description = "Exit 0, keeping the file, when FILE exists (for a deployment's first start).")
        boolean ifMissing;

        @Override
        public Integer call() {
            if (Files.exists(file) && ifMissing) {
                parent.root.out.println("Signing key " + file + " kept");
                return 0;
            }
            if (Files.exists(file)) {
                parent.root.err.println("mla-router: " + file + " exists: a signing key is never replaced (outcomes signed with it would"
                        + " no longer verify); choose another file");
                return MlaRouter.FAILURE;
            }
            OutcomeSignature.createKeyFile(file);
            parent.root.out.println("Signing key written to " + file + "; set " + ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG + "=" + file
                    + " on every instance");
            return 0;
        }
    }

    /** {@code mla-router keys kek-new FILE}. */
    @Command(name = "kek-new", mixinStandardHelpOptions = true, description = "Write a file of key-encryption keys with one new key"
            + " (32 random bytes), readable by its owner only, for mla.personal.data.kek.file. An existing file is never replaced.")
    static final class KekNewCommand implements Callable<Integer> {

        @ParentCommand
        KeysCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where the keys are written.")
        Path file;

        @picocli.CommandLine.Option(names = "--if-missing", description = "Exit 0, keeping the file, when FILE exists (for a deployment's first start).")
        boolean ifMissing;

        @Override
        public Integer call() {
            if (!org.mlarouter.privacy.KeyEncryptionKeys.createIfMissing(file, java.time.Clock.systemUTC())) {
                if (ifMissing) {
                    parent.root.out.println("Key-encryption keys " + file + " kept");
                    return 0;
                }
                parent.root.err.println("mla-router: " + file + " exists: key-encryption keys are never replaced (the data keys they wrap"
                        + " would be lost); rotate them with 'mla-router keys kek-rotate " + file + "'");
                return MlaRouter.FAILURE;
            }
            parent.root.out.println("Key-encryption keys written to " + file + "; set " + PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG + "=" + file
                    + " on every instance");
            return 0;
        }
    }

    /** {@code mla-router keys kek-rotate FILE}. */
    @Command(name = "kek-rotate", mixinStandardHelpOptions = true, description = "Put a new key first in a file of key-encryption keys:"
            + " new data keys are wrapped with it, and the older keys, kept, still unwrap what they wrapped. Restart every instance"
            + " with the new file.")
    static final class KekRotateCommand implements Callable<Integer> {

        @ParentCommand
        KeysCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "The file of key-encryption keys.")
        Path file;

        @Override
        public Integer call() {
            final String id;
            try {
                id = org.mlarouter.privacy.KeyEncryptionKeys.rotate(file, java.time.Clock.systemUTC());
            } catch (final IllegalArgumentException e) {
                parent.root.err.println("mla-router: " + e.getMessage());
                return MlaRouter.FAILURE;
            }
            parent.root.out.println("New key-encryption key " + id + " first in " + file + "; the older ones are kept to unwrap what they wrapped");
            return 0;
        }
    }
}
