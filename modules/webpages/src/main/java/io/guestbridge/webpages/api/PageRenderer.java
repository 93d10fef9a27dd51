package io.guestbridge.webpages.api;

import jakarta.servlet.http.HttpServletResponse;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.AbstractMessageResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import java.io.IOException;
import java.io.InputStream;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Renders one page set's HTML templates (Thymeleaf, which escapes every value it writes, so text a person typed is
 * shown as text) with their words from the messages bundle of the reader's language, and sends the headers every
 * page carries: a Content-Security-Policy allowing only this origin's stylesheet and images (no script at all, no
 * inline style, forms posting only here), no referrer, no framing.
 */
public final class PageRenderer {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final TemplateEngine engine;
    private final String bundleName;
    private final ClassLoader loader;
    private final List<Locale> spoken;

    /**
     * @param templates  the class-path folder of the templates, e.g. {@code console/templates/}
     * @param bundleName the messages bundle, e.g. {@code console.messages}
     * @param spoken     the languages the bundle has, the first one the default
     */
    public PageRenderer(Class<?> owner, String templates, String bundleName, List<Locale> spoken) {
        this.loader = owner.getClassLoader();
        this.bundleName = bundleName;
        this.spoken = List.copyOf(spoken);
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(loader);
        resolver.setPrefix(templates);
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        engine.setMessageResolver(new BundleMessages());
    }

    /**
     * @param formActionSources origins besides this one that the page's forms may end up at: a form whose answer
     *                          redirects to another origin (a sign-out at an identity provider) is otherwise stopped
     *                          by the browser, which holds the redirect to {@code form-action} too
     */
    public void render(HttpServletResponse response, int status, String template, Locale locale, Map<String, Object> variables,
                       String... formActionSources) throws IOException {
        String html = html(template, locale, variables);
        response.setStatus(status);
        headers(response, formActionSources);
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write(html);
    }

    public String html(String template, Locale locale, Map<String, Object> variables) {
        Context context = new Context(locale, variables);
        context.setVariable("lang", locale.getLanguage());
        return engine.process(template, context);
    }

    /** The headers of every page, and of anything else the page set answers (a download, a redirect). */
    public static void headers(HttpServletResponse response, String... formActionSources) {
        response.setHeader("Content-Security-Policy", formActionSources.length == 0 ? CONTENT_SECURITY_POLICY
                : CONTENT_SECURITY_POLICY.replace("form-action 'self';", "form-action 'self' " + String.join(" ", formActionSources) + ";"));
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
    }

    /**
     * Sends a stylesheet or image of a page set from the class path: {@code webpages/pages.css}, the sheet every page
     * set starts from, or one of the set's own. Same origin, so the policy above lets the page use it.
     */
    public static void staticFile(HttpServletResponse response, String resource, String contentType) throws IOException {
        try (InputStream file = PageRenderer.class.getClassLoader().getResourceAsStream(resource)) {
            if (file == null) {
                throw new IllegalArgumentException("no such page file on the class path: " + resource);
            }
            headers(response);
            response.setHeader("Cache-Control", "public, max-age=3600");
            response.setContentType(contentType);
            file.transferTo(response.getOutputStream());
        }
    }

    /** The class-path name of the stylesheet every page set links before its own. */
    public static final String SHARED_STYLESHEET = "webpages/pages.css";

    /** A message of the reader's language, for words Java puts together (dates, counts). */
    public String message(Locale locale, String key, Object... arguments) {
        String pattern = bundle(locale).getString(key);
        return arguments.length == 0 ? pattern : new MessageFormat(pattern, locale).format(arguments);
    }

    /** The language for a tag the reader chose or a browser's Accept-Language header; the first spoken one otherwise. */
    public Locale language(String chosen, String acceptLanguage) {
        if (chosen != null) {
            for (Locale locale : spoken) {
                if (locale.getLanguage().equals(chosen)) {
                    return locale;
                }
            }
        }
        if (acceptLanguage != null && acceptLanguage.length() < 500) {
            try {
                Locale match = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), spoken);
                if (match != null) {
                    return match;
                }
            } catch (IllegalArgumentException e) {
                // a malformed header is no preference
            }
        }
        return spoken.get(0);
    }

    public List<Locale> spoken() {
        return spoken;
    }

    public ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(bundleName, locale, loader,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /**
     * Words both page sets show for the same data: the headings and column names of what a module holds about a guest
     * ({@code held.<module>.<part>}, {@code column.<key>}), read by the guest on the privacy center's copy of their data and
     * by the DPO on the console's guest lookup. A page set's own bundle is asked first.
     */
    private static ResourceBundle shared(Locale locale) {
        return ResourceBundle.getBundle("webpages.held", locale, PageRenderer.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** {@code #{key}} in a template: the reader's language's bundle (never the server's default locale). */
    private final class BundleMessages extends AbstractMessageResolver {

        @Override
        public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] arguments) {
            String pattern = pattern(bundle(context.getLocale()), key);
            if (pattern == null) {
                pattern = pattern(shared(context.getLocale()), key);
            }
            if (pattern == null) {
                return null;
            }
            return arguments == null || arguments.length == 0 ? pattern : new MessageFormat(pattern, context.getLocale()).format(arguments);
        }

        private static String pattern(ResourceBundle bundle, String key) {
            try {
                return bundle.getString(key);
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
