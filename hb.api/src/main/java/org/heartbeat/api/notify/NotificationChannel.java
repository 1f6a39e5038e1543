package org.heartbeat.api.notify;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A notification channel: something {@code hbd} hands a {@link Notification} to, which sends it through one
 * service (Pushover, SMTP, a Mattermost webhook, ...) and reports how it went.
 *
 * <h2>Registering</h2>
 * A channel bundle provides one channel <em>type</em>, for example {@code pushover}. The operator names channels
 * of that type in {@code notification_channels:} of {@code ~/.hb.yaml}:
 *
 * <pre>
 * notification_channels:
 *   pushover_ops:
 *     type: pushover
 *     token: YOUR_APP_TOKEN
 *     user: YOUR_USER_KEY
 * </pre>
 *
 * and {@code hbd} writes one factory configuration per named channel, with the factory PID
 * {@code CONFIG_PID_PREFIX + type}. So implement it as a factory component with configuration policy REQUIRE,
 * registered with the service property {@value #TYPE}: one instance runs per configured channel, also when the
 * bundle is installed after the configuration was read, and it goes away cleanly when the bundle is removed.
 *
 * <h2>Configuration properties: every key private but two</h2>
 * Declarative Services copies a component's configuration properties into its service properties, which every
 * bundle can read, except the <em>private</em> ones, whose names start with a dot. Channel settings are full of
 * secrets, so {@code hbd} writes each key of the entry as a private property, the key with a leading dot
 * ({@code token} becomes {@code .token}, {@code api_password} becomes {@code .api_password}; nested keys are
 * joined with dots, {@code smtp: {host: ...}} becomes {@code .smtp.host}; lists of scalars are {@code String[]}).
 * Two properties are public: {@value #NAME}, the channel's name, and {@value #MAX_PER_HOUR}, which {@code hbd}'s
 * outbox reads from the service to enforce the send limit (give the component a default for it, see below).
 * {@code type} is not written: it selects the factory PID.
 *
 * <p>In a typed configuration annotation, Declarative Services maps a leading underscore to that dot and a double
 * underscore to one underscore: {@code _token()} reads {@code .token}, {@code _api__password()} reads
 * {@code .api_password}, {@code _smtp_host()} reads {@code .smtp.host}, {@code max__per__hour()} reads
 * {@code max_per_hour}. Describe the keys with a metatype {@code @ObjectClassDefinition}
 * ({@code @Designate(factory = true)}), whose attribute ids follow the same mapping: {@code hbd} checks the
 * operator's keys against it, and consoles mask the attributes of type {@code PASSWORD}, which every secret must
 * be.
 *
 * <pre>{@code
 * @Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + "webhook",
 *         configurationPolicy = ConfigurationPolicy.REQUIRE,
 *         property = {NotificationChannel.TYPE + "=webhook", NotificationChannel.MAX_PER_HOUR + ":Integer=60"})
 * @Designate(ocd = WebhookChannel.Config.class, factory = true)
 * public class WebhookChannel implements NotificationChannel {
 *     @ObjectClassDefinition(name = "Heartbeat webhook channel")
 *     public @interface Config {
 *         @AttributeDefinition(type = AttributeType.PASSWORD, description = "Where to POST the message")
 *         String _url();    // key url, property .url: private, since the URL holds the hook's key
 *
 *         @AttributeDefinition(required = false, description = "At most this many per hour; hbd enforces it")
 *         int max__per__hour() default 60;    // public
 *     }
 *
 *     private final ExecutorService executor = Executors.newCachedThreadPool();
 *     private final HttpClient http = HttpClient.newBuilder().executor(executor).build();
 *     private final URI url;
 *
 *     @Activate
 *     public WebhookChannel(Config config) {
 *         this.url = URI.create(config._url());
 *     }
 *
 *     @Deactivate
 *     void deactivate() {
 *         executor.shutdownNow();    // Java 17's HttpClient has no close(): do not leave its threads behind
 *     }
 *
 *     @Override
 *     public Delivery send(Notification n) throws IOException, InterruptedException {
 *         HttpResponse<String> r = http.send(HttpRequest.newBuilder(url)
 *                 .timeout(Duration.ofSeconds(20))
 *                 .POST(HttpRequest.BodyPublishers.ofString(n.text())).build(),
 *                 HttpResponse.BodyHandlers.ofString());
 *         return Delivery.ofHttpStatus(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
 *                 r.body(), Instant.now()).redact(url.toString());
 *     }
 * }
 * }</pre>
 *
 * <h2>How it is called</h2>
 * <ul>
 * <li>{@link #send(Notification)} is called by {@code hbd}'s outbox on a thread of the channel's own, one
 * notification at a time, never concurrently for the same channel. A slow channel delays only itself.</li>
 * <li>It should return within {@value #TIMEOUT_SECONDS} seconds (set the timeouts of your client below that).
 * After that the thread is interrupted and the try counts as {@link Delivery#retry(String)}: respect interrupts
 * (let {@link InterruptedException} out, stop waiting on I/O).</li>
 * <li>An exception counts as {@link Delivery#retry(String)} with the exception's message, and is logged. Return
 * {@link Delivery#failed(String)} for what no retry can mend (a rejected token): it is recorded, shown in the
 * API and the log, and not retried.</li>
 * <li>Send exactly once per call: {@code hbd} delivers at least once and retries only what did not succeed, so a
 * channel that retries inside {@code send} risks duplicates. Services that accept an idempotency key can be
 * given {@link Notification#id()}.</li>
 * <li>Send limits are {@code hbd}'s job: the key {@value #MAX_PER_HOUR}, which every channel accepts, caps how
 * many notifications a channel sends per hour; what the cap holds back is summarised in one later message, not
 * lost. A channel need not count, but registers a default for its service ({@code property =
 * MAX_PER_HOUR + ":Integer=20"}) that suits its service (an SMS costs money, a push service has a monthly quota),
 * which the operator's key replaces.</li>
 * <li>Never write a secret into a {@link Delivery#detail()}, an exception message or the log.</li>
 * </ul>
 */
@ConsumerType
public interface NotificationChannel {
    /** Service property: the channel type this bundle provides, such as {@code pushover}; the {@code type:} key. */
    String TYPE = "heartbeat.channel.type";

    /**
     * Configuration property, public and so also a service property: the channel's name, its key under
     * {@code notification_channels:}.
     */
    String NAME = "heartbeat.channel.name";

    /** The factory PID of channels of type {@code T} is {@code CONFIG_PID_PREFIX + T}. */
    String CONFIG_PID_PREFIX = "org.heartbeat.notify.";

    /**
     * Configuration key every channel accepts, a public property (also of the service): at most this many
     * notifications per hour; 0, or absent from the service: no cap. The channel's component gives it a default.
     */
    String MAX_PER_HOUR = "max_per_hour";

    /** How long {@link #send(Notification)} may take before it is interrupted. */
    int TIMEOUT_SECONDS = 30;

    /**
     * Sends one notification.
     *
     * @return how it went; never null
     * @throws Exception for a passing failure, retried with backoff like {@link Delivery#retry(String)}
     */
    Delivery send(Notification notification) throws Exception;
}
