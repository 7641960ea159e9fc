package io.mcpagent.config.internal;

import java.io.InputStream;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.felix.metatype.AD;
import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Metatype as the MetaType service hands it out, built in code. Attributes validate with Felix MetaType's own rules
 * (its {@link AD}), the implementation the runtime ships.
 */
final class FakeMetatype {
    private FakeMetatype() {
    }

    static AttributeDefinition attribute(String id, String type) {
        return attribute(id, type, 0, ad -> { });
    }

    /** @param more sets options, min or max on the definition, as an OCD's XML would */
    static AttributeDefinition attribute(String id, String type, int cardinality, Consumer<AD> more) {
        AD ad = new AD();
        ad.setID(id);
        ad.setName(id);
        ad.setType(type);
        ad.setCardinality(cardinality);
        more.accept(ad);
        return new AttributeDefinition() {
            @Override
            public String getName() {
                return ad.getName();
            }

            @Override
            public String getID() {
                return ad.getID();
            }

            @Override
            public String getDescription() {
                return ad.getDescription();
            }

            @Override
            public int getCardinality() {
                return ad.getCardinality();
            }

            @Override
            public int getType() {
                return ad.getType();
            }

            @Override
            public String[] getOptionValues() {
                return ad.getOptionValues();
            }

            @Override
            public String[] getOptionLabels() {
                return ad.getOptionLabels();
            }

            @Override
            public String validate(String value) {
                return ad.validate(value);
            }

            @Override
            public String[] getDefaultValue() {
                return ad.getDefaultValue();
            }
        };
    }

    static ObjectClassDefinition definition(String id, AttributeDefinition... attributes) {
        return new ObjectClassDefinition() {
            @Override
            public String getName() {
                return id;
            }

            @Override
            public String getID() {
                return id;
            }

            @Override
            public String getDescription() {
                return id;
            }

            @Override
            public AttributeDefinition[] getAttributeDefinitions(int filter) {
                return attributes.clone();
            }

            @Override
            public InputStream getIcon(int size) {
                return null;
            }
        };
    }

    /** What a bundle describes: PIDs and factory PIDs, each with its definition. */
    static MetaTypeInformation information(Bundle bundle, Map<String, ObjectClassDefinition> pids,
            Map<String, ObjectClassDefinition> factoryPids) {
        return new MetaTypeInformation() {
            @Override
            public String[] getPids() {
                return pids.keySet().toArray(String[]::new);
            }

            @Override
            public String[] getFactoryPids() {
                return factoryPids.keySet().toArray(String[]::new);
            }

            @Override
            public Bundle getBundle() {
                return bundle;
            }

            @Override
            public ObjectClassDefinition getObjectClassDefinition(String id, String locale) {
                ObjectClassDefinition definition = pids.containsKey(id) ? pids.get(id) : factoryPids.get(id);
                if (definition == null) {
                    throw new IllegalArgumentException(id);
                }
                return definition;
            }

            @Override
            public String[] getLocales() {
                return null;
            }
        };
    }
}
