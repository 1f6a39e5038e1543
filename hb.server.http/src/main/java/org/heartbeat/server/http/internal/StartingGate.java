package org.heartbeat.server.http.internal;

import java.io.IOException;

import org.heartbeat.runtime.Launch;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.condition.Condition;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * While {@code hbd} starts, answers every request with 503 and {@code Retry-After: 1} (JSON under {@code /api/}),
 * never with a 404 of a resource that is not registered yet: a whiteboard preprocessor runs before any servlet is
 * chosen, and this one before any other. It lets requests through once the runtime is ready
 * ({@link Launch#READY_CONDITION}).
 */
@Component(service = Preprocessor.class, property = "service.ranking:Integer=100")
@HttpWhiteboardTarget(Api.TARGET)
public final class StartingGate implements Preprocessor {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + Condition.CONDITION_ID + "=" + Launch.READY_CONDITION + ")")
    private volatile Condition ready;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (ready != null) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        Pages.error(resp, req.getRequestURI().substring(req.getContextPath().length()),
                HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                "hbd is not ready (starting or stopping); try again in a second", 1);
    }
}
