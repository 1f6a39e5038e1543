package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class OpenApiResourceTest {
    @Test
    void underABasePathTheDocumentNamesItAsItsServerAndIsOtherwiseTheSame() throws Exception {
        byte[] document = OpenApiResource.document();
        JsonNode original = Api.JSON.readTree(document);
        assertThat(original.at("/servers/0/url").asText()).isEqualTo("/");

        JsonNode moved = Api.JSON.readTree(OpenApiResource.withServer(document, "/heartbeat"));
        assertThat(moved.path("servers")).hasSize(1);
        assertThat(moved.at("/servers/0/url").asText()).isEqualTo("/heartbeat");
        ((ObjectNode) moved).set("servers", original.path("servers"));
        assertThat(moved).isEqualTo(original);
    }
}
