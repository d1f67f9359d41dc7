package dev.parapet.bench;

import dev.parapet.infra.llm.ScriptedOpenAiServer;

/**
 * An OpenAI-compatible model on loopback that answers "ok" after a fixed delay, for load runs
 * against {@code ./parapet up} with {@code PARAPET_LLM_PROVIDER=openai}: prints its base URL and
 * serves until killed.
 *
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" dev.parapet.bench.ModelStub [delay-ms=0]</pre>
 */
public final class ModelStub {

    private ModelStub() {
    }

    public static void main(String[] args) throws Exception {
        ScriptedOpenAiServer model = new ScriptedOpenAiServer();
        model.defaultDelay(args.length > 0 ? Long.parseLong(args[0]) : 0);
        model.forgetBodies();
        System.out.println(model.baseUrl());
        Thread.currentThread().join();
    }
}
