package io.jettyspeed.bench;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark only (registered by {@link ServiceMain}, never by the gateway itself): reads the same
 * body as a real ingest request and answers a tiny JSON 202, on the same Tomcat, the same Spring MVC
 * and the same filters as the real endpoints, without validation, authentication or Kafka. Its
 * request rate is the HTTP ceiling of row 1.
 */
@RestController
public class EmptyEndpoint {

    public static final String PATH = "/bench/empty";

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> empty(@RequestBody byte[] body) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).contentType(MediaType.APPLICATION_JSON).body("{\"accepted\":1}");
    }
}
