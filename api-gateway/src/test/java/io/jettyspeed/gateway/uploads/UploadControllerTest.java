package io.jettyspeed.gateway.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.jettyspeed.gateway.publishing.EventPublisher;
import io.jettyspeed.gateway.publishing.OutgoingEvent;
import io.jettyspeed.gateway.publishing.PublishingConfiguration;
import io.jettyspeed.gateway.security.ApiKeyAuthenticator;
import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.ApiKeys;
import io.jettyspeed.gateway.security.RateLimiter;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.security.StoredKey;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The web slice: auth filter, body limit, validation and problem rendering, with Kafka and the key table mocked. */
@WebMvcTest(controllers = UploadController.class, properties = "spring.config.name=api-gateway")
@org.springframework.boot.context.properties.EnableConfigurationProperties(io.jettyspeed.gateway.GatewayProperties.class)
@Import({ApiKeyAuthenticator.class, RateLimiter.class, PublishingConfiguration.class, io.jettyspeed.gateway.sessions.SessionIds.class,
        io.jettyspeed.gateway.validation.JsonRequests.class})
class UploadControllerTest {

    static final String CLIENT_KEY = "ac_sliceclient_sliceclientsecret000000000001";
    static final String SLOW_KEY = "ac_sliceslow_sliceslowsecret00000000000001";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    EventPublisher publisher;

    @MockitoBean
    ApiKeyRepository keys;

    @MockitoBean
    io.jettyspeed.gateway.sessions.SessionOwnership ownership;

    @BeforeEach
    void keys() throws Exception {
        given(keys.find(any())).willReturn(Optional.empty());
        given(keys.find("sliceclient")).willReturn(Optional.of(new StoredKey("sliceclient", ApiKeys.hash(CLIENT_KEY),
                Set.of(Scope.CLIENT), "usr_1", "", 1000, Instant.now(), null)));
        given(keys.find("sliceslow")).willReturn(Optional.of(new StoredKey("sliceslow", ApiKeys.hash(SLOW_KEY),
                Set.of(Scope.CLIENT), "usr_slow", "", 1, Instant.now(), null)));
    }

    @Test
    void shouldRejectUnknownActionNamingTheField() throws Exception {
        // when / then
        mvc.perform(asClient("/api/jetty/track-upload", MediaType.APPLICATION_JSON)
                        .content("{\"action\":\"pause\",\"sessionId\":\"s1\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.instance").value("/api/jetty/track-upload"))
                .andExpect(jsonPath("$.errors[0].field").value("action"))
                .andExpect(jsonPath("$.errors[0].message").value("must be one of start, progress, complete, fail"));
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldFillTheClientsUserAndPublishTheStart() throws Exception {
        // when
        mvc.perform(asClient("/api/jetty/track-upload", MediaType.APPLICATION_JSON)
                        .content("{\"action\":\"start\",\"fileName\":\"a.bin\",\"fileSize\":5}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success").value(true))
                .andExpect(jsonPath("$.sessionId").isString());

        // then
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<OutgoingEvent<?>>> sent = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(sent.capture());
        UploadEvent event = (UploadEvent) sent.getValue().get(0).value();
        assertThat(event.getUserId()).isEqualTo("usr_1");
        assertThat(event.getAction()).isEqualTo(UploadAction.START);
        assertThat(sent.getValue().get(0).key()).isEqualTo(event.getSessionId());
    }

    @Test
    void shouldAnswer401WithChallengeForAMissingKey() throws Exception {
        // when / then
        mvc.perform(post("/api/jetty/track-upload").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer")))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(401));
    }

    @Test
    void shouldAnswer403WhenAClientKeyActsForAnotherUser() throws Exception {
        // when / then
        mvc.perform(asClient("/api/jetty/cache-chunk", MediaType.APPLICATION_JSON)
                        .content("{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":\"pending\",\"userId\":\"usr_2\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.errors[0].field").value("userId"));
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldAnswer429WithRetryAfterPastTheRate() throws Exception {
        // given
        var request = post("/api/jetty/cache-chunk").header("Authorization", "Bearer " + SLOW_KEY)
                .contentType(MediaType.APPLICATION_JSON).content("{}");
        mvc.perform(request).andExpect(status().isBadRequest());

        // when / then
        mvc.perform(request)
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void shouldAnswer415ForAWrongContentType() throws Exception {
        // when / then
        mvc.perform(asClient("/api/jetty/cache-chunk", MediaType.TEXT_PLAIN).content("{}"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("Content-Type"));
    }

    @Test
    void shouldAnswer413ForADeclaredLengthOverTheLimit() throws Exception {
        // when / then
        mvc.perform(asClient("/api/jetty/cache-chunk", MediaType.APPLICATION_JSON).content(new byte[1024 * 1024 + 1]))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.errors[0].field").value("body"));
    }

    /** A POST with the client key's credentials. */
    private static MockHttpServletRequestBuilder asClient(String path, MediaType contentType) {
        return post(path).header("Authorization", "Bearer " + CLIENT_KEY).contentType(contentType);
    }
}
