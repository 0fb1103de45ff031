package dev.intunelock.intune;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A page of Graph's managedDevice collection. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record ManagedDeviceListJson(List<ManagedDeviceJson> value) {
}
