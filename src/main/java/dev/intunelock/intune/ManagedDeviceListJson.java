package dev.intunelock.intune;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A page of Graph's managedDevice collection, and the absolute URL of the next while there is one. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record ManagedDeviceListJson(List<ManagedDeviceJson> value, @JsonProperty("@odata.nextLink") String nextLink) {

    List<IntuneDevice> devices() {
        return value == null ? List.of() : value.stream().map(ManagedDeviceJson::toDomain).toList();
    }
}
