# Sourced by the whole-pipeline benchmark sections: builds the workers' exec jars when one is missing, with the extra
# Maven flags given as arguments (e.g. -o).
for m in ingest-audio stt-worker dialog-worker tts-worker crm-sink analytics-stream dialer simulators; do
  if [ ! -f "$m/target/$m-0.1.0-SNAPSHOT-exec.jar" ]; then
    ./mvnw -q -B -ntp "$@" package -DskipTests >&2
    break
  fi
done
