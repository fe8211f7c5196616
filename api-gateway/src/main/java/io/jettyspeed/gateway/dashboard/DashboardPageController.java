package io.jettyspeed.gateway.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /dashboard}: the live edge page, static files from this jar
 * ({@code classpath:/static/dashboard/}). The page holds no key: it asks for one (or takes it from
 * the URL fragment {@code #key=...}, which browsers never send to the server), keeps it in the
 * tab's session storage, and reads {@code /api/jetty/edges/stream} with it.
 */
@Controller
public class DashboardPageController {

    @GetMapping({"/dashboard", "/dashboard/"})
    public String page() {
        return "forward:/dashboard/index.html";
    }
}
