package org.mlarouter.cli;

import java.util.concurrent.Callable;

import org.mlarouter.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mla-router erase REQUEST_ID}: erases a request's personal data through the router's API (a supervisor): its
 * data key is deleted, so no copy of its names or offence description can be decrypted; its status remains.
 */
@Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase a request's personal data (supervisors): its data key"
        + " is deleted, so no copy of its subjects' names or offence description can be read any more; its status, reasons and"
        + " history remain. Exit 0 once the router has applied it.")
final class EraseCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Mixin
    OperatorOptions operator;

    @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "The request whose personal data is erased.")
    String requestId;

    @Override
    public Integer call() throws Exception {
        if (requestId.isBlank()) {
            root.err.println("mla-router: REQUEST_ID is blank");
            return MlaRouter.USAGE;
        }
        return StatusCommand.report(root, operator.client(root.environment).outcome(requestId, "erase", Json.object()),
                "Personal data of " + requestId + " erased: no copy of it can be decrypted any more.");
    }
}
