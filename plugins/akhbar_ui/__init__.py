"""akhbar's pages in the Airflow UI: diplomatic events (overview, dyad timeline, article
view) and feed health, served by a FastAPI app that plugins/akhbar_ui_plugin.py mounts.

This folder is a package imported by the plugin module, not a set of plugin files:
plugins/.airflowignore keeps Airflow's plugin loader from importing its modules one by
one under their bare names."""
