package dev.triage.http.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.http.Endpoint;

/** One deployment's endpoint: an OpenAI-compatible API, or a mock that answers by itself. */
public interface Upstream {

    /**
     * Sends the request. Its response fails on a connection error; any HTTP status is a response.
     *
     * @param body the OpenAI request body as it goes upstream (the deployment's model, no priority)
     */
    UpstreamCall send(Endpoint endpoint, ObjectNode body, boolean stream);
}
