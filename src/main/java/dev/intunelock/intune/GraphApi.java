package dev.intunelock.intune;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.intunelock.timing.GraphCallTiming;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.rest.client.reactive.Url;

/**
 * Microsoft Graph's Intune managed-device endpoints; every call carries the app-only token ({@link GraphTokens}).
 * Devices are read from {@code /beta}: its managedDevice carries the {@code deviceType} enum the platform gate
 * decides on (v1.0 has only the free-text {@code operatingSystem}). The lock command uses v1.0.
 */
@RegisterRestClient(configKey = "graph")
@RegisterProvider(GraphCallTiming.class)
@Path("/")
interface GraphApi {

    @GET
    @Path("/beta/deviceManagement/managedDevices/{id}")
    ManagedDeviceJson getManagedDevice(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);

    /**
     * An OData {@code $filter} over managed devices; Graph answers a page, {@code {"value": [...]}}, with an
     * {@code @odata.nextLink} while more pages follow.
     */
    @GET
    @Path("/beta/deviceManagement/managedDevices")
    ManagedDeviceListJson listManagedDevices(@HeaderParam("Authorization") String authorization,
            @QueryParam("$filter") String filter);

    /** A further page: Graph's {@code @odata.nextLink}, called as given (it carries the filter and Graph's place). */
    @GET
    ManagedDeviceListJson listManagedDevicesPage(@HeaderParam("Authorization") String authorization,
            @Url String nextLink);

    /** Answers 204 No Content when Intune has queued the lock command. */
    @POST
    @Path("/v1.0/deviceManagement/managedDevices/{id}/remoteLock")
    void remoteLock(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return GraphErrors.fromResponse(response);
    }
}
