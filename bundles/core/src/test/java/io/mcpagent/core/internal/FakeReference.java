package io.mcpagent.core.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/** A service reference with real ordering semantics (ranking, then service id), for driving the whiteboard. */
final class FakeReference implements ServiceReference<Object> {
    private static final AtomicLong IDS = new AtomicLong(100);
    final Hashtable<String, Object> properties = new Hashtable<>();
    final Object service;
    final Bundle bundle;

    FakeReference(Object service, String bsn, Map<String, Object> props) {
        this.service = service;
        this.bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(bsn);
        when(bundle.getVersion()).thenReturn(new Version(1, 2, 3));
        when(bundle.getBundleId()).thenReturn(7L);
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        properties.putAll(props);
        properties.put(Constants.SERVICE_ID, IDS.incrementAndGet());
    }

    /** Run whenever this reference is hashed (a map of the whiteboard's), to look at the whiteboard at that point. */
    volatile Runnable onHash = () -> { };

    @Override
    public int hashCode() {
        onHash.run();
        return super.hashCode();
    }

    long serviceId() {
        return (Long) properties.get(Constants.SERVICE_ID);
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return properties.keySet().toArray(new String[0]);
    }

    @Override
    public Bundle getBundle() {
        return bundle;
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public boolean isAssignableTo(Bundle bundle, String className) {
        return true;
    }

    @Override
    public int compareTo(Object other) {
        FakeReference that = (FakeReference) other;
        int ranking = Integer.compare(ranking(this), ranking(that));
        return ranking != 0 ? ranking : Long.compare(that.serviceId(), serviceId());
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        return new Hashtable<>(properties);
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return null;
    }

    private static int ranking(FakeReference reference) {
        Object value = reference.properties.get(Constants.SERVICE_RANKING);
        return value instanceof Integer i ? i : 0;
    }
}
