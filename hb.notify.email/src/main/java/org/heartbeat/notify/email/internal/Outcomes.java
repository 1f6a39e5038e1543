package org.heartbeat.notify.email.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.heartbeat.api.notify.Delivery;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;

/**
 * Turns what Jakarta Mail threw into a {@link Delivery}.
 *
 * <ul>
 * <li>A certificate that does not verify (unknown CA, expired, another host's name): failed, it stays so until the
 * operator sets {@code ca_file} or the server's certificate is fixed. Any other TLS handshake failure, a refused or
 * timed-out connection, an unknown host, a dropped connection: retry.</li>
 * <li>An SMTP refusal: by {@link SmtpReply#isTransient()} (4xx or enhanced class 4 retry, 5xx or class 5 failed);
 * authentication refused with 535 is a 5xx and so failed; 454 (temporary authentication failure) retries.</li>
 * <li>Some recipients refused, others accepted: delivered, with the refused ones in the detail. The message has
 * been handed over for the accepted ones, and a retry would send it to them again.</li>
 * <li>No recipient accepted: retry when any of them was refused only for now, else failed.</li>
 * </ul>
 *
 * Every detail is passed through the channel's secret filter by the caller.
 */
final class Outcomes {
    private Outcomes() {
    }

    /**
     * @param e what the send threw
     * @param last the last reply the transport read (its code is 0 or -1 when there was none)
     * @param server {@code host:port}, for the detail
     */
    static Delivery of(MessagingException e, SmtpReply last, String server) {
        Throwable badCertificate = find(e, CertificateException.class);
        if (badCertificate == null) {
            badCertificate = find(e, SSLPeerUnverifiedException.class);
        }
        if (badCertificate != null) {
            Throwable why = deepest(badCertificate);
            return Delivery.failed("the TLS certificate of " + server + " does not verify (" + why.getMessage()
                    + "); if the server uses a private CA or a self-signed certificate, put it in ca_file");
        }
        if (e instanceof SendFailedException sfe) {
            Delivery d = ofSendFailure(sfe, server);
            if (d != null) {
                return d;
            }
        }
        if (find(e, IOException.class) != null) {
            return Delivery.retry(describe(e, server));
        }
        if (last.isRefusal()) {
            String what = e instanceof AuthenticationFailedException ? "authentication refused by " + server
                    : server + " refused";
            return last.isTransient() ? Delivery.retry(what + ": " + last.text())
                    : Delivery.failed(what + ": " + last.text());
        }
        if (e instanceof AuthenticationFailedException) {
            return Delivery.failed("authentication with " + server + " failed: " + e.getMessage());
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("STARTTLS is required")) {
            return Delivery.failed(server + " does not offer STARTTLS; use security: tls if it speaks TLS from the "
                    + "start (usually port 465), or security: none only for a relay on a trusted network");
        }
        if (last.code() == -1) {
            return Delivery.retry(server + " closed the connection: " + message);
        }
        return Delivery.retry("sending through " + server + " failed: " + message);
    }

    /** Refused recipients or a refused command (MAIL FROM, DATA, the end of data); null when neither. */
    private static Delivery ofSendFailure(SendFailedException e, String server) {
        List<SMTPAddressFailedException> refused = new ArrayList<>();
        Exception next = e;
        for (int depth = 0; next instanceof MessagingException m && depth < 1000; depth++) {
            if (m instanceof SMTPAddressFailedException a) {
                refused.add(a);
            }
            next = m.getNextException();
        }
        Address[] sent = e.getValidSentAddresses();
        if (sent != null && sent.length > 0) {
            return Delivery.delivered("accepted by " + server + " for " + join(sent) + "; refused for "
                    + refusals(refused));
        }
        if (e instanceof SMTPSendFailedException command) {
            SmtpReply reply = SmtpReply.of(command.getReturnCode(), command.getMessage());
            String what = server + " refused " + commandName(command.getCommand()) + ": " + reply.text();
            if (!reply.isRefusal()) {
                return Delivery.retry(find(e, IOException.class) != null ? describe(e, server) : what);
            }
            return reply.isTransient() ? Delivery.retry(what) : Delivery.failed(what);
        }
        if (!refused.isEmpty()) {
            boolean anyTransient = refused.stream()
                    .anyMatch(a -> SmtpReply.of(a.getReturnCode(), a.getMessage()).isTransient());
            String what = server + " refused every recipient: " + refusals(refused);
            return anyTransient ? Delivery.retry(what) : Delivery.failed(what);
        }
        return null;
    }

    /** {@code MAIL FROM}, {@code DATA}; "the message" for the end of data, where the server judges the message. */
    private static String commandName(String command) {
        if (command == null || command.equals(".")) {
            return "the message";
        }
        int colon = command.indexOf(':');
        return colon > 0 ? command.substring(0, colon) : command;
    }

    private static String refusals(List<SMTPAddressFailedException> refused) {
        return refused.stream()
                .map(a -> a.getAddress() + " (" + SmtpReply.of(a.getReturnCode(), a.getMessage()).text() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String join(Address[] addresses) {
        return Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
    }

    /** What went wrong on the connection, from the most telling exception in the chain. */
    private static String describe(Throwable e, String server) {
        SocketTimeoutException timeout = find(e, SocketTimeoutException.class);
        if (timeout != null) {
            return "no answer from " + server + " in time (" + timeout.getMessage() + ")";
        }
        ConnectException refused = find(e, ConnectException.class);
        if (refused != null) {
            return "cannot connect to " + server + ": " + refused.getMessage();
        }
        NoRouteToHostException noRoute = find(e, NoRouteToHostException.class);
        if (noRoute != null) {
            return "cannot connect to " + server + ": " + noRoute.getMessage();
        }
        UnknownHostException unknown = find(e, UnknownHostException.class);
        if (unknown != null) {
            return "unknown host " + server + " (name lookup failed: " + unknown.getMessage() + ")";
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            return "TLS with " + server + " failed: " + tls.getMessage();
        }
        if (find(e, EOFException.class) != null) {
            return server + " closed the connection";
        }
        IOException io = find(e, IOException.class);
        return "connection to " + server + " failed: " + (io != null ? io.getMessage() : e.getMessage());
    }

    /** The first throwable of {@code type} in the cause chain (and Jakarta Mail's next-exception chain). */
    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            Throwable next = t.getCause();
            if (next == null && t instanceof MessagingException m) {
                next = m.getNextException();
            }
            t = next == t ? null : next;
        }
        return null;
    }

    private static Throwable deepest(Throwable t) {
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 20; depth++) {
            t = t.getCause();
        }
        return t;
    }
}
