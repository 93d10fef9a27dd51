package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The operator's view of the work queues: how much is waiting, how old the oldest item is, how much is dead. */
@Path("queues")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Work queues", description = "The durable queues behind ingestion, CRM sync and privacy requests.")
public class QueueResource {

    @Inject
    WorkQueue queue;

    @Inject
    QueueWorkers workers;

    @GET
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "listQueues", summary = "Depth, oldest age and dead count of every queue")
    @APIResponse(responseCode = "200", description = "One entry per queue that has a handler or items",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = QueueStats[].class),
                    examples = @ExampleObject(name = "queues",
                            value = "[{\"queue\":\"ingestion-inbox\",\"pending\":12,\"oldestAgeSeconds\":3,\"dead\":0}]")))
    public List<QueueStats> list() {
        Map<String, QueueStats> byName = new TreeMap<>();
        for (String name : workers.handledQueues()) {
            byName.put(name, new QueueStats(name, 0, 0, 0));
        }
        for (QueueStats stats : queue.stats()) {
            byName.put(stats.queue(), stats);
        }
        return List.copyOf(byName.values());
    }
}
