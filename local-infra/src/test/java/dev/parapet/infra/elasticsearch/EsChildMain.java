package dev.parapet.infra.elasticsearch;

/** Starts a node, prints its process ids, then waits to be killed. Used by {@link ElasticsearchOrphanIT}. */
public final class EsChildMain {

    private EsChildMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedElasticsearch es = EmbeddedElasticsearch.builder().heap("256m").start();
        StringBuilder pids = new StringBuilder();
        es.processes().forEach(p -> pids.append(p.pid()).append(' '));
        System.out.println("ES_PIDS " + pids.toString().trim());
        System.out.println("ES_URL " + es.url());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
