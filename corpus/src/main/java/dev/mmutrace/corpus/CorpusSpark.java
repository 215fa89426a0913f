package dev.mmutrace.corpus;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.Utils;

/**
 * The Spark session of a corpus run. Under spark-submit the master and everything else come from
 * spark-submit (it passes them as {@code spark.*} system properties, which {@link SparkConf}
 * reads); run with plain {@code java -jar} there is no master, and Spark runs embedded in
 * {@code local[*]}. A local Spark binds only to the loopback address and starts no web UI: a
 * command-line tool opens no port anyone else can reach.
 */
final class CorpusSpark {
    static final String LOCAL = "local[*]";

    private CorpusSpark() {
    }

    static SparkSession session(Optional<String> master) {
        SparkConf conf = new SparkConf().setAppName("mmutrace corpus replay");
        master.ifPresent(conf::setMaster);
        if (!conf.contains("spark.master")) {
            conf.setMaster(LOCAL);
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
            // The table is a few rows per trace: compiling Spark's generated code for its few hundred
            // columns costs a second or more of a local run's fixed cost and saves nothing on rows
            // this few, so Spark's interpreted projections write it (the same rows either way).
            conf.setIfMissing("spark.sql.codegen.factoryMode", "NO_CODEGEN");
            conf.setIfMissing("spark.sql.codegen.wholeStage", "false");
            // the name Spark gives this host, which it otherwise looks up among the interfaces
            // for a routable address (and warns when the host name is a loopback one)
            Utils.setCustomHostname("127.0.0.1");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
