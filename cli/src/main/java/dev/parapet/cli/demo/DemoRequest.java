package dev.parapet.cli.demo;

/**
 * One query the demo posts.
 *
 * @param actor   who in the cast sends it
 * @param token   the bearer token used
 * @param address the client address claimed through the loopback trusted proxy ({@code X-Forwarded-For})
 * @param query   the prompt
 */
record DemoRequest(String actor, String token, String address, String query) {
}
