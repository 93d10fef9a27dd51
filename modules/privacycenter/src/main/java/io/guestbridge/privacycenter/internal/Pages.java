package io.guestbridge.privacycenter.internal;

import jakarta.servlet.http.HttpServletResponse;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.AbstractMessageResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Renders the center's pages: HTML templates (Thymeleaf, which escapes every value it writes, so markup a guest
 * typed is shown as text) with their words from the messages bundle of the guest's language, and the headers
 * every page carries: a Content-Security-Policy that allows only this origin's stylesheet and images (no script
 * at all, no inline style), no referrer, no framing.
 */
final class Pages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private static final TemplateEngine ENGINE = engine();

    private Pages() {
    }

    static void render(HttpServletResponse response, int status, String template, Locale locale, Map<String, Object> variables) throws IOException {
        String html = html(template, locale, variables);
        response.setStatus(status);
        headers(response);
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write(html);
    }

    static String html(String template, Locale locale, Map<String, Object> variables) {
        Context context = new Context(locale, variables);
        context.setVariable("lang", locale.getLanguage());
        return ENGINE.process(template, context);
    }

    static void headers(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    }

    /** A message of the guest's language, for words Java puts together (dates, counts). */
    static String message(Locale locale, String key, Object... arguments) {
        String pattern = bundle(locale).getString(key);
        return arguments.length == 0 ? pattern : new MessageFormat(pattern, locale).format(arguments);
    }

    private static TemplateEngine engine() {
        ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        templates.setPrefix("privacycenter/templates/");
        templates.setSuffix(".html");
        templates.setTemplateMode(TemplateMode.HTML);
        templates.setCharacterEncoding("UTF-8");
        templates.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(templates);
        engine.setMessageResolver(new BundleMessages());
        return engine;
    }

    static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("privacycenter.messages", locale, Pages.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** {@code #{key}} in a template: the guest's language's bundle (never the server's default locale). */
    static final class BundleMessages extends AbstractMessageResolver {

        @Override
        public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] arguments) {
            try {
                String pattern = bundle(context.getLocale()).getString(key);
                return arguments == null || arguments.length == 0 ? pattern : new MessageFormat(pattern, context.getLocale()).format(arguments);
            } catch (MissingResourceException e) {
                return null;
            }
        }

        @Override
        public String createAbsentMessageRepresentation(ITemplateContext context, Class<?> origin, String key, Object[] arguments) {
            return "??" + key + "??";
        }
    }
}
