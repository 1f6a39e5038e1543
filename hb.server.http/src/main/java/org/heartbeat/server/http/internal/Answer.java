package org.heartbeat.server.http.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/**
 * What an operation answers, before it is written: a status and a JSON body (a view record, a list of them, or an
 * {@link Api.Error}). Lets an operation be tested without a servlet container.
 */
record Answer(int status, Object body) {
    static Answer ok(Object body) {
        return new Answer(HttpServletResponse.SC_OK, body);
    }

    static Answer error(int status, String message) {
        return new Answer(status, new Api.Error(status, message));
    }

    void write(HttpServletResponse resp) throws IOException {
        Api.json(resp, status, body);
    }
}
