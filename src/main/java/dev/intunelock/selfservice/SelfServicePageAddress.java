package dev.intunelock.selfservice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * The page is the static folder /self-service/ (META-INF/resources); its address typed without the slash leads to
 * it. A regex route, since a plain Vert.x path would also match "/self-service/" and redirect it forever.
 */
@ApplicationScoped
class SelfServicePageAddress {

    void redirectToThePage(@Observes Router router) {
        router.getWithRegex("/self-service").handler(request -> request.redirect("self-service/"));
    }
}
