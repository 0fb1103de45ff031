package dev.intunelock.intune;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * How a Graph list is read past its first page (Microsoft's "Paging Microsoft Graph data in your app"): while an
 * answer carries an {@code @odata.nextLink}, that whole URL is called for the next page, never rebuilt from its
 * {@code $skiptoken}. The app's token goes with the call, so only a link to the Graph address the client is configured
 * with (scheme, host, port and path) is followed. A list still not ended after {@link #MOST_PAGES} pages is given up:
 * Intune pages managed devices up to a thousand at a time, and no caller reads more than 1,001 of them.
 */
final class GraphPaging {

    static final int MOST_PAGES = 50;

    private final URI graph;

    GraphPaging(URI graph) {
        this.graph = graph;
    }

    /** The page to ask for after {@code pagesRead} pages, as Graph's {@code nextLink} named it. */
    String next(String nextLink, int pagesRead) {
        if (pagesRead >= MOST_PAGES) {
            throw GraphErrors.listNotEnding(MOST_PAGES);
        }
        if (!isGraphs(nextLink)) {
            throw GraphErrors.nextLinkNotGraphs(nextLink);
        }
        return nextLink;
    }

    boolean isGraphs(String link) {
        try {
            URI uri = new URI(link);
            return uri.isAbsolute() && uri.getRawUserInfo() == null && uri.getHost() != null
                    && graph.getScheme().equalsIgnoreCase(uri.getScheme())
                    && graph.getHost().toLowerCase(Locale.ROOT).equals(uri.getHost().toLowerCase(Locale.ROOT))
                    && port(graph) == port(uri)
                    && uri.getRawPath() != null && uri.getRawPath().startsWith(path(graph));
        } catch (URISyntaxException malformed) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String path(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.endsWith("/") ? path : path + "/";
    }
}
