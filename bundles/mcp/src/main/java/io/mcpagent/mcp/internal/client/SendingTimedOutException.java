package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/**
 * A message could not be sent within the time its sending was given (a call's timeout): the message says what took
 * that time, an OAuth challenge of a 401, say.
 */
public final class SendingTimedOutException extends IOException {
    private static final long serialVersionUID = 1L;

    public SendingTimedOutException(String whatTookTheTime) {
        super(whatTookTheTime);
    }
}
